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

    /// <summary>The length of every journal time text.</summary>
    public const int Length = 28;

    /// <summary>The time's text: the same as <c>time.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture)</c>.</summary>
    public static string ToText(DateTimeOffset time) => string.Create(Length, time.UtcDateTime, static (text, utc) => Write(utc, text));

    /// <summary>
    /// Writes the time's text as UTF-8 (it is ASCII) into the first <see cref="Length"/> bytes of
    /// <paramref name="destination"/>, without a string: an import writes about a million of them.
    /// </summary>
    public static void WriteUtf8(DateTimeOffset time, Span<byte> destination)
    {
        Span<char> text = stackalloc char[Length];
        Write(time.UtcDateTime, text);
        System.Text.Encoding.ASCII.GetBytes(text, destination);
    }

    /// <summary>
    /// The format above, digit by digit: a custom DateTime format is parsed at every call, and this
    /// text is made for every journal entry and every imported row. A test compares the two over
    /// random and edge times.
    /// </summary>
    private static void Write(DateTime utc, Span<char> text)
    {
        var (year, month, day) = utc;
        Digits(text[..4], year);
        text[4] = '-';
        Digits(text.Slice(5, 2), month);
        text[7] = '-';
        Digits(text.Slice(8, 2), day);
        text[10] = 'T';
        Digits(text.Slice(11, 2), utc.Hour);
        text[13] = ':';
        Digits(text.Slice(14, 2), utc.Minute);
        text[16] = ':';
        Digits(text.Slice(17, 2), utc.Second);
        text[19] = '.';
        Digits(text.Slice(20, 7), (int)(utc.Ticks % TimeSpan.TicksPerSecond));
        text[27] = 'Z';
    }

    /// <summary>Writes <paramref name="value"/> (not negative) in decimal, zero-padded to fill <paramref name="digits"/>.</summary>
    private static void Digits(Span<char> digits, int value)
    {
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            digits[i] = (char)('0' + (value % 10));
            value /= 10;
        }
    }

    public static DateTimeOffset Parse(string text) =>
        DateTimeOffset.ParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static bool TryParse(string text, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
}
