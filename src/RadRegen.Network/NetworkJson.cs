using System.Text.Json;
using RadRegen.Core;

namespace RadRegen.Network;

/// <summary>How network payloads and envelopes are written: camelCase JSON (the contract of <see cref="Events.NetworkEnvelope"/>).</summary>
public static class NetworkJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// A payload another center sent, read with <paramref name="options"/>: JSON that is not a
    /// <paramref name="what"/>, or <c>null</c>, is a <see cref="DomainValidationException"/> on field
    /// <c>payload</c>, which the network consumer parks with its reason (the one reader of the handlers).
    /// </summary>
    public static T Read<T>(string json, JsonSerializerOptions options, string what)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, options) ?? throw new DomainValidationException("payload", "is empty");
        }
        catch (JsonException ex)
        {
            throw new DomainValidationException("payload", $"not a {what}: {ex.Message}");
        }
    }
}
