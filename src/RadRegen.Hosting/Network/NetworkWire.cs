using System.Globalization;
using System.Text.Json;
using RadRegen.Core.Messaging;
using RadRegen.Network;
using RadRegen.Network.Events;

namespace RadRegen.Hosting.Network;

/// <summary>
/// Names and message format on the NATS side (docs/network.md): one stream per network, one subject
/// per source center and kind, a JSON envelope with the event id also as the <c>Nats-Msg-Id</c> header
/// (JetStream's duplicate window drops a republished id).
/// </summary>
public static class NetworkWire
{
    /// <summary>The envelope format this build writes; a consumer parks an envelope of another format.</summary>
    public const int EnvelopeFormat = 1;

    /// <summary>JetStream's de-duplication header (NATS docs, "JetStream model deep dive: message deduplication").</summary>
    public const string MessageIdHeader = "Nats-Msg-Id";

    /// <summary>How long JetStream remembers message ids: the relay's retries all fall well inside it; the inbox dedupes beyond it.</summary>
    public static readonly TimeSpan DuplicateWindow = TimeSpan.FromMinutes(10);

    /// <summary><c>radregen.NETWORK</c>: every subject of the network starts so.</summary>
    public static string Prefix(string network) => "radregen." + network;

    /// <summary><c>radregen.NETWORK.CENTER.KIND</c> (the kind's dots are further tokens).</summary>
    public static string Subject(string network, string center, string kind) => $"{Prefix(network)}.{center}.{kind}";

    /// <summary>
    /// <c>radregen-to.NETWORK</c>: the subjects of events addressed to one center (ADR 0029). A root of
    /// their own, because a consumer has one filter subject on nats-server 2.9 and the shared filter
    /// <c>radregen.NETWORK.&gt;</c> must not cover them.
    /// </summary>
    public static string AddressedPrefix(string network) => "radregen-to." + network;

    /// <summary><c>radregen-to.NETWORK.TO.FROM.KIND</c>: an event from <paramref name="from"/> for <paramref name="to"/> only.</summary>
    public static string AddressedSubject(string network, string to, string from, string kind) => $"{AddressedPrefix(network)}.{to}.{from}.{kind}";

    /// <summary>The filter of <paramref name="center"/>'s addressed consumer: its own addressed subjects.</summary>
    public static string AddressedFilter(string network, string center) => $"{AddressedPrefix(network)}.{center}.>";

    /// <summary>The source center of a subject of the network: the third token of a shared subject, the fourth of an addressed one.</summary>
    public static string? CenterOf(string subject) => Parse(subject).From;

    /// <summary>The source center and, for an addressed subject, the addressee of a subject.</summary>
    public static (string? From, string? To) Parse(string subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var parts = subject.Split('.');
        if (parts[0] == "radregen-to")
        {
            return parts.Length >= 5 ? (parts[3], parts[2]) : (null, null);
        }

        return parts.Length >= 4 ? (parts[2], null) : (null, null);
    }

    /// <summary>The network's stream (stream names allow no dots).</summary>
    public static string Stream(string network) => "RADREGEN_" + network.ToUpperInvariant().Replace('-', '_');

    /// <summary>The durable consumer of a center.</summary>
    public static string Consumer(string center) => "center-" + center;

    /// <summary>The durable consumer of a center's addressed subjects (ADR 0029).</summary>
    public static string AddressedConsumer(string center) => "center-" + center + "-to";

    /// <summary>The message body of an outbox record of <paramref name="center"/>; <paramref name="payloadJson"/> replaces its payload (a sealed one).</summary>
    public static byte[] Encode(string center, OutboxRecord record, string? payloadJson = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var payload = JsonDocument.Parse(payloadJson ?? record.Event.PayloadJson);
        return JsonSerializer.SerializeToUtf8Bytes(new Wire
        {
            Envelope = EnvelopeFormat,
            EventId = record.EventId,
            SchemaVersion = record.Event.SchemaVersion,
            SourceCenter = center,
            Kind = record.Event.Kind,
            EntityKey = record.Event.EntityKey,
            EntityVersion = record.Position,
            OccurredAt = record.OccurredAt,
            Payload = payload.RootElement.Clone(),
        }, NetworkJson.Options);
    }

    /// <summary>Reads a message body; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static NetworkEnvelope Decode(ReadOnlySpan<byte> body)
    {
        Wire? wire;
        try
        {
            wire = JsonSerializer.Deserialize<Wire>(body, NetworkJson.Options);
        }
        catch (JsonException ex)
        {
            throw new FormatException("the message is not a RadRegen network envelope: " + ex.Message, ex);
        }

        if (wire is null)
        {
            throw new FormatException("the message is empty");
        }

        if (wire.Envelope != EnvelopeFormat)
        {
            throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"envelope format {wire.Envelope} is unknown here (this RadRegen reads {EnvelopeFormat})"));
        }

        if (wire.EventId == Guid.Empty || string.IsNullOrEmpty(wire.SourceCenter) || string.IsNullOrEmpty(wire.Kind) || wire.Payload.ValueKind == JsonValueKind.Undefined)
        {
            throw new FormatException("the envelope lacks its event id, source center, kind or payload");
        }

        return new NetworkEnvelope(wire.EventId, wire.SchemaVersion, wire.SourceCenter, wire.Kind, wire.EntityKey ?? "", wire.EntityVersion,
            wire.OccurredAt, wire.Payload.GetRawText());
    }

    private sealed class Wire
    {
        public int Envelope { get; set; }

        public Guid EventId { get; set; }

        public int SchemaVersion { get; set; }

        public string SourceCenter { get; set; } = "";

        public string Kind { get; set; } = "";

        public string? EntityKey { get; set; }

        public long EntityVersion { get; set; }

        public DateTimeOffset OccurredAt { get; set; }

        public JsonElement Payload { get; set; }
    }
}
