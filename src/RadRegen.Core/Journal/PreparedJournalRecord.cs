using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace RadRegen.Core.Journal;

/// <summary>
/// A journal record whose expensive part is done before the journal is taken: the payload's
/// canonical JSON and the UTF-8 bytes of every field of the canonical form except the sequence
/// number and the time, which only the writer holding the journal can know (ADR 0021).
/// <see cref="Chain"/> then costs one SHA-256 over bytes already made, so a bulk import chains
/// 200,000 entries while holding the journal for a fraction of a second. The entries are exactly
/// those <see cref="JournalChain.Next(long, string, DateTimeOffset, string, JournalRecord)"/> makes
/// (same canonical form, same hash); the chain is not weakened.
/// </summary>
public sealed class PreparedJournalRecord
{
    // The canonical form of sequence 0 at time "" starts with these bytes; what follows is the tail.
    private static ReadOnlySpan<byte> EmptyHeadUtf8 => "[0,\"\""u8;

    private readonly byte[] _tail;

    private PreparedJournalRecord(string user, JournalRecord record, string payload, byte[] tail)
    {
        User = user;
        RecordType = record.RecordType;
        RecordId = record.RecordId;
        Action = record.Action;
        Reason = record.Reason;
        Payload = payload;
        _tail = tail;
    }

    public string User { get; }

    public string RecordType { get; }

    public string RecordId { get; }

    public string Action { get; }

    public string? Reason { get; }

    /// <summary>The payload as canonical JSON (<see cref="CanonicalJson"/>), as it will be stored.</summary>
    public string Payload { get; }

    /// <summary>Serialises <paramref name="record"/>'s payload and the fixed part of its canonical form (pure, thread-safe).</summary>
    public static PreparedJournalRecord Prepare(string user, JournalRecord record)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(record);
        // In UTF-8 throughout: the payload's canonical bytes are embedded as they are, and only the
        // stored payload text is made a string.
        var payload = CanonicalJson.SerializeToUtf8(record.Payload).WrittenSpan;
        var canonical = new ArrayBufferWriter<byte>(payload.Length + 256);
        JournalChain.WriteCanonicalForm(canonical, 0, "", user, record.RecordType, record.RecordId, record.Action, record.Reason, payload);
        if (!canonical.WrittenSpan.StartsWith(EmptyHeadUtf8))
        {
            throw new InvalidOperationException("the canonical form no longer starts with the sequence and the time");
        }

        return new PreparedJournalRecord(user, record, Encoding.UTF8.GetString(payload), canonical.WrittenSpan[EmptyHeadUtf8.Length..].ToArray());
    }

    /// <summary>
    /// The entry after (<paramref name="lastSequence"/>, <paramref name="lastHash"/>) at
    /// <paramref name="time"/>: hash = SHA-256(previous hash ‖ canonical form), as <see cref="JournalChain.ComputeHash(string, long, string, string, string, string, string, string?, string)"/>.
    /// <paramref name="sha256"/> is a reusable <see cref="IncrementalHash"/> for SHA-256.
    /// </summary>
    public JournalEntry Chain(long lastSequence, string lastHash, string time, IncrementalHash sha256)
    {
        ArgumentNullException.ThrowIfNull(lastHash);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(sha256);
        // The time is JournalTime's fixed text (digits, '-', ':', '.', 'T', 'Z'): nothing a JSON writer escapes.
        if (time.Length != 28 || time.AsSpan().ContainsAnyExcept("0123456789-:.TZ"))
        {
            throw new ArgumentException($"'{time}' is not a journal time", nameof(time));
        }

        var sequence = lastSequence + 1;
        Span<byte> head = stackalloc byte[64 + 1 + 20 + 2 + 28 + 1];
        var n = Encoding.ASCII.GetBytes(lastHash, head);
        head[n++] = (byte)'[';
        sequence.TryFormat(head[n..], out var written, provider: CultureInfo.InvariantCulture);
        n += written;
        head[n++] = (byte)',';
        head[n++] = (byte)'"';
        n += Encoding.ASCII.GetBytes(time, head[n..]);
        head[n++] = (byte)'"';
        sha256.AppendData(head[..n]);
        sha256.AppendData(_tail);
        Span<byte> digest = stackalloc byte[32];
        sha256.GetHashAndReset(digest);
        return new JournalEntry(sequence, time, User, RecordType, RecordId, Action, Reason, Payload, lastHash, Convert.ToHexStringLower(digest));
    }

    /// <summary>The record again, for journals that append one by one (its payload is the canonical JSON, which canonicalises to itself).</summary>
    public JournalRecord ToRecord() =>
        new(RecordType, RecordId, Action, System.Text.Json.Nodes.JsonNode.Parse(Payload), Reason);
}
