using System.Globalization;
using RadRegen.Core;

namespace RadRegen.Bank.Identity;

/// <summary>
/// ISO/IEC 7064 MOD 37-2 as ISBT 128 uses it for the keyboard check character of a DIN
/// (ICCBBA ST-001; UK Red Book Annex 2 publishes the vectors the tests use).
/// </summary>
public static class Mod37_2
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*";

    /// <summary>The checksum value 0–36 over <paramref name="text"/> (digits and A–Z).</summary>
    public static int Checksum(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        long sum = 0;
        long weight = 2;
        for (var i = text.Length - 1; i >= 0; i--)
        {
            var value = Alphabet.IndexOf(char.ToUpperInvariant(text[i]), StringComparison.Ordinal);
            if (value is < 0 or > 35)
            {
                throw new DomainValidationException("din", $"'{text[i]}' is not a digit or a letter A–Z");
            }

            sum += value * weight;
            weight = weight * 2 % 37;
        }

        var r = (int)(sum % 37);
        return (38 - r) % 37;
    }

    /// <summary>The check character for a checksum value.</summary>
    public static char Character(int checksum) => Alphabet[checksum];

    /// <summary>The type-3 flag form: checksum + 60 as two digits.</summary>
    public static string Type3Flag(int checksum) => (checksum + 60).ToString("00", CultureInfo.InvariantCulture);
}

/// <summary>A Donation Identification Number: facility (αpppp), year (yy), sequence (nnnnnn).</summary>
public sealed record Din(string Facility, int Year, int Sequence)
{
    /// <summary>The 13 characters.</summary>
    public string Value => string.Create(CultureInfo.InvariantCulture, $"{Facility}{Year % 100:00}{Sequence:000000}");

    public int Checksum => Mod37_2.Checksum(Value);

    public char CheckCharacter => Mod37_2.Character(Checksum);

    public string Type3Flag => Mod37_2.Type3Flag(Checksum);

    /// <summary>As printed in eye-readable form: the DIN, then the check character boxed.</summary>
    public string EyeReadable => $"{Value} {CheckCharacter}";

    public override string ToString() => Value;

    /// <summary>Checks a facility identification number: a letter and four digits or letters.</summary>
    public static string ValidateFacility(string facility) =>
        TryFacility(facility)
        ?? throw new DomainValidationException("facility", "a facility identification number is a letter and four letters or digits (e.g. G1234)");

    /// <summary>The facility identification number, trimmed and upper case, or null when <paramref name="text"/> is not one.</summary>
    public static string? TryFacility(string? text)
    {
        var f = (text ?? "").Trim().ToUpperInvariant();
        return f.Length == 5 && char.IsAsciiLetterUpper(f[0]) && f.Skip(1).All(char.IsAsciiLetterOrDigit) ? f : null;
    }

    /// <summary>Parses 13 characters (with an optional 14th check character, which must match).</summary>
    public static Din Parse(string text, string field = "din")
    {
        var t = (text ?? "").Trim().ToUpperInvariant().Replace(" ", "", StringComparison.Ordinal);
        if (t.Length is not (13 or 14))
        {
            throw new DomainValidationException(field, "a DIN has 13 characters (αppppyynnnnnn), optionally followed by its check character");
        }

        var facility = ValidateFacility(t[..5]);
        if (!int.TryParse(t.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(t.AsSpan(7, 6), NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
        {
            throw new DomainValidationException(field, "the year (2 digits) and sequence (6 digits) must be digits");
        }

        var din = new Din(facility, year, seq);
        if (t.Length == 14 && din.CheckCharacter != t[13])
        {
            throw new DomainValidationException(field, $"check character '{t[13]}' does not match; expected '{din.CheckCharacter}'");
        }

        return din;
    }
}

/// <summary>ISBT 128-style division codes within one donation: A0…Z9 (260 divisions).</summary>
public static class Divisions
{
    public const int Max = 260;

    public static string Code(int index)
    {
        if (index is < 0 or >= Max)
        {
            throw new DomainValidationException("vials", $"a lot holds at most {Max} vials (divisions A0–Z9)");
        }

        return string.Create(CultureInfo.InvariantCulture, $"{(char)('A' + (index / 10))}{index % 10}");
    }
}
