using System.Text.Json;

namespace RadRegen.Network;

/// <summary>How network payloads and envelopes are written: camelCase JSON (the contract of <see cref="Events.NetworkEnvelope"/>).</summary>
public static class NetworkJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
