using System.Globalization;

namespace RadRegen.Core.Journal;

/// <summary>
/// One line of the audit journal: who did what to which record, when and why, with the hash chain
/// that makes any later change to it detectable (21 CFR 11.10(e); EU GMP Annex 11 §9).
/// </summary>
/// <param name="Sequence">1, 2, 3 … without gaps.</param>
/// <param name="Time">UTC, in <see cref="JournalTime"/>'s fixed text form (hashed as written).</param>
/// <param name="User">The actor's login name.</param>
/// <param name="RecordType">What kind of record (<c>user</c>, <c>lot</c>, <c>signature</c>).</param>
/// <param name="RecordId">The record's id as text.</param>
/// <param name="Action">What happened (<c>created</c>, <c>released</c>, <c>login-failed</c>).</param>
/// <param name="Reason">Why, when the person gave a reason.</param>
/// <param name="Payload">The change as canonical JSON (<see cref="CanonicalJson"/>).</param>
/// <param name="PreviousHash">The hash of the entry before (<see cref="JournalChain.GenesisHash"/> for the first).</param>
/// <param name="Hash">SHA-256 over the previous hash and this entry's canonical form, lower-case hex.</param>
public sealed record JournalEntry(
    long Sequence,
    string Time,
    string User,
    string RecordType,
    string RecordId,
    string Action,
    string? Reason,
    string Payload,
    string PreviousHash,
    string Hash);

/// <summary>What a service asks the journal to record; the journal adds sequence, time, user and hashes.</summary>
public sealed record JournalRecord(string RecordType, string RecordId, string Action, object? Payload, string? Reason = null);

/// <summary>
/// The journal's fixed-width UTC time text, <c>2026-11-21T08:14:00.1234567Z</c>. Fixed width makes
/// text order equal time order in both engines, and storing the exact text that was hashed keeps
/// the hash verifiable whatever precision an engine's timestamp type would have kept.
/// </summary>
public static class JournalTime
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static string ToText(DateTimeOffset time) =>
        time.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string text) =>
        DateTimeOffset.ParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static bool TryParse(string text, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
}
