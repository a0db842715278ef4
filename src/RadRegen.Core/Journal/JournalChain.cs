using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace RadRegen.Core.Journal;

/// <summary>The hash chain over journal entries: how a hash is computed and how a chain is verified.</summary>
public static class JournalChain
{
    /// <summary>The "previous hash" of entry 1: 64 zeros.</summary>
    public static readonly string GenesisHash = new('0', 64);

    /// <summary>
    /// The canonical form of an entry, the exact bytes hashed: a JSON array of its fields in a fixed
    /// order, the payload embedded as its canonical JSON.
    /// </summary>
    /// <remarks>
    /// One writer serves both: this is <see cref="WriteCanonicalForm"/>'s bytes as text.
    /// </remarks>
    public static string CanonicalForm(long sequence, string time, string user, string recordType, string recordId,
        string action, string? reason, string payload)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        WriteCanonicalForm(buffer, sequence, time, user, recordType, recordId, action, reason, Encoding.UTF8.GetBytes(payload));
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// <see cref="CanonicalForm"/> written as UTF-8 into <paramref name="output"/>, the payload given as
    /// its canonical JSON in UTF-8 (no string round trip; a bulk import prepares 200,000 of them).
    /// </summary>
    public static void WriteCanonicalForm(System.Buffers.IBufferWriter<byte> output, long sequence, string time, string user, string recordType, string recordId,
        string action, string? reason, ReadOnlySpan<byte> payload)
    {
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = false });
        writer.WriteStartArray();
        writer.WriteNumberValue(sequence);
        writer.WriteStringValue(time);
        writer.WriteStringValue(user);
        writer.WriteStringValue(recordType);
        writer.WriteStringValue(recordId);
        writer.WriteStringValue(action);
        if (reason is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(reason);
        }

        writer.WriteRawValue(payload, skipInputValidation: false);
        writer.WriteEndArray();
    }

    /// <summary>hash = SHA-256(previous hash ‖ canonical entry), lower-case hex.</summary>
    public static string ComputeHash(string previousHash, long sequence, string time, string user, string recordType,
        string recordId, string action, string? reason, string payload)
    {
        var canonical = CanonicalForm(sequence, time, user, recordType, recordId, action, reason, payload);
        var bytes = Encoding.UTF8.GetBytes(previousHash + canonical);
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    public static string ComputeHash(JournalEntry e) =>
        ComputeHash(e.PreviousHash, e.Sequence, e.Time, e.User, e.RecordType, e.RecordId, e.Action, e.Reason, e.Payload);

    /// <summary>Builds the next entry of a chain whose last entry is (<paramref name="lastSequence"/>, <paramref name="lastHash"/>).</summary>
    public static JournalEntry Next(long lastSequence, string lastHash, DateTimeOffset time, string user, JournalRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Next(lastSequence, lastHash, time, user, record, CanonicalJson.Serialize(record.Payload));
    }

    /// <summary>
    /// As <see cref="Next(long, string, DateTimeOffset, string, JournalRecord)"/> with the record's payload already
    /// serialised by <see cref="CanonicalJson.Serialize"/> (so that a batch can serialise its payloads in parallel).
    /// </summary>
    public static JournalEntry Next(long lastSequence, string lastHash, DateTimeOffset time, string user, JournalRecord record, string canonicalPayload)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(canonicalPayload);
        var payload = canonicalPayload;
        var seq = lastSequence + 1;
        var timeText = JournalTime.ToText(time);
        var hash = ComputeHash(lastHash, seq, timeText, user, record.RecordType, record.RecordId, record.Action, record.Reason, payload);
        return new JournalEntry(seq, timeText, user, record.RecordType, record.RecordId, record.Action, record.Reason, payload, lastHash, hash);
    }

    /// <summary>
    /// Walks entries in the order they are stored and reports the first that does not verify:
    /// a sequence out of step (deleted or swapped entry), a previous hash that is not the hash of
    /// the entry before, or a hash that does not match the entry's content.
    /// </summary>
    public static JournalVerification Verify(IEnumerable<JournalEntry> entriesInStoredOrder)
    {
        ArgumentNullException.ThrowIfNull(entriesInStoredOrder);
        var verifier = new Verifier();
        foreach (var entry in entriesInStoredOrder)
        {
            if (!verifier.Accept(entry))
            {
                break;
            }
        }

        return verifier.Result;
    }

    /// <summary>An incremental verifier, for walking a large journal page by page.</summary>
    public sealed class Verifier
    {
        private long _expectedSequence = 1;
        private string _expectedPrevious = GenesisHash;
        private long _verified;

        public JournalVerification Result { get; private set; } = new(0, null, null);

        /// <summary>Checks the next entry; false once an entry fails (and then <see cref="Result"/> names it).</summary>
        public bool Accept(JournalEntry entry)
        {
            ArgumentNullException.ThrowIfNull(entry);
            if (Result.FirstBrokenSequence is not null)
            {
                return false;
            }

            string? problem = null;
            if (entry.Sequence != _expectedSequence)
            {
                problem = $"expected sequence {_expectedSequence} but found {entry.Sequence} (an entry was removed, inserted or moved)";
            }
            else if (!string.Equals(entry.PreviousHash, _expectedPrevious, StringComparison.Ordinal))
            {
                problem = "its previous hash is not the hash of the entry before it";
            }
            else
            {
                string computed;
                try
                {
                    computed = ComputeHash(entry);
                }
                catch (JsonException)
                {
                    computed = "";
                }

                if (!string.Equals(computed, entry.Hash, StringComparison.Ordinal))
                {
                    problem = "its content does not match its hash (the entry or its hash was altered)";
                }
            }

            if (problem is not null)
            {
                Result = new JournalVerification(_verified, entry.Sequence, problem);
                return false;
            }

            _verified++;
            _expectedSequence = entry.Sequence + 1;
            _expectedPrevious = entry.Hash;
            Result = new JournalVerification(_verified, null, null);
            return true;
        }
    }
}

/// <summary>The outcome of walking the chain.</summary>
/// <param name="Verified">Entries that verified before the first broken one (all, when intact).</param>
/// <param name="FirstBrokenSequence">The sequence number of the first entry that does not verify, or null.</param>
/// <param name="Problem">What is wrong with it.</param>
public sealed record JournalVerification(long Verified, long? FirstBrokenSequence, string? Problem)
{
    /// <summary>The chain verifies and nothing contradicts the checkpoints (entries not yet anchored do not count against it).</summary>
    public bool IsIntact => FirstBrokenSequence is null && Anchoring?.IsBroken != true;

    /// <summary>The journal against its signed checkpoints (ADR 0019); null when no checkpoint log is configured.</summary>
    public JournalAnchoring? Anchoring { get; init; }
}
