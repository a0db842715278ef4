using System.Collections.Immutable;
using System.Text;

namespace RadRegen.Hla.Nomenclature;

/// <summary>What kind of HLA name a token is (categories as in Atlas' HlaCategorisationService, reference/hla/notes.md §4.3).</summary>
public enum HlaNameKind
{
    /// <summary>A WHO allele name with one to four fields and an optional expression suffix.</summary>
    Allele,

    /// <summary>An XX code (<c>A*01:XX</c>): any allele of the first field.</summary>
    XxCode,

    /// <summary>An NMDP multiple allele code (<c>A*01:AB</c>), expanded with the operator's MAC file.</summary>
    Mac,

    /// <summary>A G group name (three fields + <c>G</c>, WMDA <c>hla_nom_g</c>).</summary>
    GGroup,

    /// <summary>A P group name (two fields + <c>P</c>, WMDA <c>hla_nom_p</c>).</summary>
    PGroup,

    /// <summary>A serological antigen (<c>A2</c>, <c>B52</c>, <c>Cw7</c>, <c>DR15</c>).</summary>
    Serology,
}

/// <summary>
/// A validated HLA name. Rules (hla.alleles.org nomenclature, reference/hla/notes.md §6.1–6.5):
/// <list type="bullet">
/// <item><c>[HLA-]GENE*f1[:f2[:f3[:f4]]][suffix]</c>; f1 two or three digits, f2 two to four,
/// f3 and f4 two or three; suffix one of N, L, S, C, A, Q (null, low, secreted, cytoplasm,
/// aberrant, questionable) only on names of two or more fields.</item>
/// <item><c>GENE*f1:XX</c> XX code; <c>GENE*f1:LETTERS</c> (2–5 capitals) NMDP MAC;
/// <c>GENE*f1:f2:f3G</c> G group; <c>GENE*f1:f2P</c> P group.</item>
/// <item>Serology: <c>A</c>, <c>B</c>, <c>Cw</c>/<c>C</c>, <c>DR</c>, <c>DQ</c>, <c>DP</c>/<c>DPw</c>
/// followed by the antigen number without a leading zero (DR51/52/53 are the DRB5/3/4 antigens).</item>
/// </list>
/// Names are case-sensitive, as in WHO reports and Atlas. Pre-2010 names without colons
/// (<c>A*0201</c>) are refused with a hint. Equality is by the canonical text (without <c>HLA-</c>).
/// </summary>
public sealed class HlaName : IEquatable<HlaName>, IComparable<HlaName>
{
    private const string ExpressionSuffixes = "NLSCAQ";
    private readonly string _canonical;

    private HlaName(HlaLocus locus, HlaNameKind kind, ImmutableArray<string> fields, char? suffix, string? code, string canonical)
    {
        Locus = locus;
        Kind = kind;
        Fields = fields;
        Suffix = suffix;
        Code = code;
        _canonical = canonical;
    }

    /// <summary>The gene the name belongs to: the text before <c>*</c>, or for an antigen its prefix (<c>DR15</c> → DRB1).</summary>
    public HlaLocus Locus { get; }

    /// <summary>What the name denotes: an allele, an XX code, a MAC, a G or P group, or a serological antigen.</summary>
    public HlaNameKind Kind { get; }

    /// <summary>The numeric fields (for serology: the antigen number; for XX/MAC codes: the first field).</summary>
    public ImmutableArray<string> Fields { get; }

    /// <summary>The expression suffix (N, L, S, C, A, Q) of an allele, if any.</summary>
    public char? Suffix { get; }

    /// <summary>The letters of an XX or MAC code.</summary>
    public string? Code { get; }

    /// <summary>The allele group (first field) of a molecular name.</summary>
    public string FirstField => Fields[0];

    /// <summary>True for an allele with the null (N) suffix: not expressed.</summary>
    public bool IsNull => Suffix == 'N';

    /// <summary>Parses a name; errors name the token and its position.</summary>
    public static HlaName Parse(string text) => Parse(text, 0);

    /// <summary>Parses a name that starts at <paramref name="offset"/> of a longer string (for error positions).</summary>
    public static HlaName Parse(string text, int offset)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (TryParseCore(text, out var name, out var error))
        {
            return name!;
        }

        throw HlaInputException.AtToken(error!, text, offset);
    }

    /// <summary>Tries to parse a name.</summary>
    public static bool TryParse(string? text, out HlaName? name)
    {
        name = null;
        return text is not null && TryParseCore(text, out name, out _);
    }

    /// <summary>Builds an allele name from its parts (used by reference-file loaders).</summary>
    public static HlaName Allele(HlaLocus locus, string fieldsText) => Parse($"{locus.Name()}*{fieldsText}");

    private static bool TryParseCore(string text, out HlaName? name, out string? error)
    {
        name = null;
        error = null;
        var s = text.StartsWith("HLA-", StringComparison.Ordinal) ? text[4..] : text;
        if (s.Length == 0)
        {
            error = "empty HLA name";
            return false;
        }

        var star = s.IndexOf('*', StringComparison.Ordinal);
        if (star < 0)
        {
            return TryParseSerology(s, out name, out error);
        }

        var gene = s[..star];
        if (!HlaLoci.TryParse(gene, out var locus))
        {
            error = $"unknown locus '{gene}'; known loci are {string.Join(", ", Enum.GetValues<HlaLocus>().Select(l => l.Name()))}";
            return false;
        }

        var body = s[(star + 1)..];
        if (body.Length == 0)
        {
            error = "no allele fields after '*'";
            return false;
        }

        var parts = body.Split(':');
        if (parts.Length == 1 && body.Length >= 4 && AllAsciiDigits(body))
        {
            error = $"pre-2010 name without colons; write {gene}*{body[..2]}:{body[2..]} (fields are separated by ':' since April 2010)";
            return false;
        }

        if (parts.Length > 4)
        {
            error = "an allele name has at most four fields";
            return false;
        }

        if (parts.Length == 1 && body.Length > 1 && char.IsAsciiLetter(body[^1]) && AllAsciiDigits(body.AsSpan(0, body.Length - 1)))
        {
            error = "an expression suffix or group marker needs at least two fields";
            return false;
        }

        if (!IsDigits(parts[0], 2, 3))
        {
            error = "the first field (allele group) must be two or three digits";
            return false;
        }

        var last = parts[^1];
        if (parts.Length == 2 && last.Length >= 2 && AllAsciiUpper(last))
        {
            if (last == "XX")
            {
                name = new HlaName(locus, HlaNameKind.XxCode, [parts[0]], null, "XX", $"{gene}*{parts[0]}:XX");
                return true;
            }

            if (last.Length <= 5)
            {
                name = new HlaName(locus, HlaNameKind.Mac, [parts[0]], null, last, $"{gene}*{parts[0]}:{last}");
                return true;
            }

            error = "a multiple allele code has two to five capital letters";
            return false;
        }

        char? suffix = null;
        var kind = HlaNameKind.Allele;
        if (last.Length > 0 && char.IsAsciiLetter(last[^1]))
        {
            var c = last[^1];
            if (c == 'G' && parts.Length >= 2)
            {
                kind = HlaNameKind.GGroup;
            }
            else if (c == 'P' && parts.Length == 2)
            {
                kind = HlaNameKind.PGroup;
            }
            else if (ExpressionSuffixes.Contains(c, StringComparison.Ordinal) && parts.Length >= 2)
            {
                suffix = c;
            }
            else if (c == 'g')
            {
                error = "small-g group names are not supported; give the P group, G group or alleles";
                return false;
            }
            else
            {
                error = parts.Length == 1
                    ? "an expression suffix needs at least two fields"
                    : $"'{c}' is not an expression suffix (N, L, S, C, A, Q) or group marker (G, P)";
                return false;
            }

            parts[^1] = last[..^1];
        }

        for (var i = 1; i < parts.Length; i++)
        {
            var ok = i == 1 ? IsDigits(parts[i], 2, 4) : IsDigits(parts[i], 2, 3);
            if (!ok)
            {
                error = i == 1
                    ? "the second field must be two to four digits"
                    : $"field {i + 1} must be two or three digits";
                return false;
            }
        }

        var sb = new StringBuilder(gene).Append('*').AppendJoin(':', parts);
        if (suffix is not null)
        {
            sb.Append(suffix.Value);
        }
        else if (kind == HlaNameKind.GGroup)
        {
            sb.Append('G');
        }
        else if (kind == HlaNameKind.PGroup)
        {
            sb.Append('P');
        }

        name = new HlaName(locus, kind, [.. parts], suffix, null, sb.ToString());
        return true;
    }

    private static bool TryParseSerology(string s, out HlaName? name, out string? error)
    {
        name = null;
        error = null;
        var digitsAt = 0;
        while (digitsAt < s.Length && char.IsAsciiLetter(s[digitsAt]))
        {
            digitsAt++;
        }

        var prefix = s[..digitsAt];
        var number = s[digitsAt..];
        if (prefix.Length == 0 || number.Length == 0 || number.Length > 4 || !AllAsciiDigits(number))
        {
            error = "not an HLA name: expected an allele (A*02:01), an XX/MAC code (A*02:XX), a G/P group or a serological antigen (A2, DR15)";
            return false;
        }

        if (number[0] == '0')
        {
            error = "a serological antigen number has no leading zero";
            return false;
        }

        HlaLocus locus;
        switch (prefix)
        {
            case "A":
                locus = HlaLocus.A;
                break;
            case "B":
                locus = HlaLocus.B;
                break;
            case "C" or "Cw":
                locus = HlaLocus.C;
                prefix = "Cw";
                break;
            case "DR":
                // DR51, DR52 and DR53 are the products of DRB5, DRB3 and DRB4 (WHO serology tables).
                locus = number switch { "51" => HlaLocus.DRB5, "52" => HlaLocus.DRB3, "53" => HlaLocus.DRB4, _ => HlaLocus.DRB1 };
                break;
            case "DQ":
                locus = HlaLocus.DQB1;
                break;
            case "DP" or "DPw":
                locus = HlaLocus.DPB1;
                prefix = "DPw";
                break;
            default:
                error = $"unknown serological locus prefix '{prefix}' (A, B, Cw, DR, DQ, DPw)";
                return false;
        }

        name = new HlaName(locus, HlaNameKind.Serology, [number], null, null, prefix + number);
        return true;
    }

    // Loops rather than Enumerable.All<char>: a generic instantiation over char that ReadyToRun
    // cannot precompile, run for every allele of a frequency file (docs/performance.md, "Start-up").
    private static bool AllAsciiDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool AllAsciiUpper(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiLetterUpper(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsDigits(string s, int min, int max) =>
        s.Length >= min && s.Length <= max && AllAsciiDigits(s);

    /// <summary>
    /// The name reduced to a resolution: first field drops everything after the allele group
    /// (and the suffix); two fields keep the expression suffix, so a null allele never reads as an
    /// expressed one (e.g. <c>A*01:16N</c> in the NMDP 2007 CAU set). An XX code reduces to its first field.
    /// </summary>
    /// <exception cref="HlaInputException">The name has fewer fields than asked, or is a code,
    /// group or serological name that only the IPD-IMGT/HLA files can resolve.</exception>
    public HlaName ReduceTo(AlleleResolution resolution)
    {
        var n = (int)resolution;
        if (Kind == HlaNameKind.XxCode && n == 1)
        {
            return new HlaName(Locus, HlaNameKind.Allele, [Fields[0]], null, null, $"{Locus.Name()}*{Fields[0]}");
        }

        if (Kind != HlaNameKind.Allele)
        {
            throw HlaInputException.AtToken(
                $"a {Kind} name cannot be reduced to {resolution.ToText()} without the IPD-IMGT/HLA reference files", _canonical, 0);
        }

        if (Fields.Length < n)
        {
            throw HlaInputException.AtToken($"the name has {Fields.Length} field(s); {resolution.ToText()} needs {n}", _canonical, 0);
        }

        if (Fields.Length == n && (n == 2 || Suffix is null))
        {
            return this;
        }

        var kept = Fields[..n];
        var keepSuffix = n >= 2 ? Suffix : null;
        var text = $"{Locus.Name()}*{string.Join(':', kept)}{keepSuffix}";
        return new HlaName(Locus, HlaNameKind.Allele, kept, keepSuffix, null, text);
    }

    /// <summary>The canonical name without the <c>HLA-</c> prefix.</summary>
    public override string ToString() => _canonical;

    /// <summary>The name with or without the <c>HLA-</c> prefix.</summary>
    public string ToString(bool withPrefix) => withPrefix ? "HLA-" + _canonical : _canonical;

    /// <summary>Same name: equal canonical text (ordinal), with or without the <c>HLA-</c> prefix as written.</summary>
    public bool Equals(HlaName? other) => other is not null && string.Equals(_canonical, other._canonical, StringComparison.Ordinal);

    /// <summary>True when <paramref name="obj"/> is an <see cref="HlaName"/> with the same canonical text.</summary>
    public override bool Equals(object? obj) => obj is HlaName other && Equals(other);

    /// <summary>Hash of the canonical text (ordinal), consistent with <see cref="Equals(HlaName?)"/>.</summary>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_canonical);

    /// <summary>Orders by locus, then numerically by field, then by text.</summary>
    public int CompareTo(HlaName? other)
    {
        if (other is null)
        {
            return 1;
        }

        var c = Locus.CompareTo(other.Locus);
        if (c != 0)
        {
            return c;
        }

        for (var i = 0; i < Math.Min(Fields.Length, other.Fields.Length); i++)
        {
            c = int.Parse(Fields[i], System.Globalization.CultureInfo.InvariantCulture)
                .CompareTo(int.Parse(other.Fields[i], System.Globalization.CultureInfo.InvariantCulture));
            if (c != 0)
            {
                return c;
            }
        }

        return string.CompareOrdinal(_canonical, other._canonical);
    }

    /// <summary>Same name (<see cref="Equals(HlaName?)"/>); two nulls are equal.</summary>
    public static bool operator ==(HlaName? left, HlaName? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Different names (the negation of <c>==</c>).</summary>
    public static bool operator !=(HlaName? left, HlaName? right) => !(left == right);

    /// <summary><paramref name="left"/> sorts before <paramref name="right"/> (<see cref="CompareTo"/>: locus, then fields numerically; null first).</summary>
    public static bool operator <(HlaName? left, HlaName? right) => left is null ? right is not null : left.CompareTo(right) < 0;

    /// <summary><paramref name="left"/> sorts before or with <paramref name="right"/> (<see cref="CompareTo"/>; null first).</summary>
    public static bool operator <=(HlaName? left, HlaName? right) => left is null || left.CompareTo(right) <= 0;

    /// <summary><paramref name="left"/> sorts after <paramref name="right"/> (<see cref="CompareTo"/>; null first).</summary>
    public static bool operator >(HlaName? left, HlaName? right) => left is not null && left.CompareTo(right) > 0;

    /// <summary><paramref name="left"/> sorts after or with <paramref name="right"/> (<see cref="CompareTo"/>; null first).</summary>
    public static bool operator >=(HlaName? left, HlaName? right) => left is null ? right is null : left.CompareTo(right) >= 0;
}
