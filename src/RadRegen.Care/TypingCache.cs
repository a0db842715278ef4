using RadRegen.Hla;
using RadRegen.Hla.Matching;
using RadRegen.Hla.Nomenclature;

namespace RadRegen.Care;

/// <summary>
/// The typings of one import file, checked part by part (issue 12 item 4): a mass-casualty file's
/// whole typings are nearly all different, but each <c>^</c> part (one locus's genotype, e.g.
/// <c>HLA-A*24:02+HLA-A*02:01</c>) recurs thousands of times, and checking it (parsing the GL String,
/// mapping each name at the matcher's level) allocated about 28 KB per victim. A typing whose parts
/// are all accepted, with no locus in two parts, is the one <see cref="TypingAcceptance.Read"/>
/// accepts, normalised the same way (<see cref="RadRegen.Hla.GlStrings.GlString.ToString()"/> joins the normalised
/// parts with <c>^</c>). Anything else (a part refused, white space around a part, a locus twice) is
/// left to the whole check, so errors read as before. One per file; not thread-safe.
/// </summary>
internal sealed class TypingCache
{
    private readonly Dictionary<string, (string Text, HlaLocus[] Loci)?> _parts = new(StringComparer.Ordinal);
    private readonly HashSet<HlaLocus> _seen = [];
    private readonly System.Text.StringBuilder _text = new();

    /// <summary>The normalised typing when every part is known to be accepted; null when the whole check must decide.</summary>
    public string? Accepted(string glString, HlaMatcher matcher)
    {
        var trimmed = glString.AsSpan().Trim();
        _seen.Clear();
        _text.Clear();
        foreach (var range in trimmed.Split('^'))
        {
            var part = trimmed[range];
            if (part.Length == 0 || char.IsWhiteSpace(part[0]) || char.IsWhiteSpace(part[^1]))
            {
                return null;
            }

            var key = part.ToString();
            if (!_parts.TryGetValue(key, out var accepted))
            {
                accepted = Check(key, matcher);
                _parts[key] = accepted;
            }

            if (accepted is not { } a)
            {
                return null;
            }

            foreach (var locus in a.Loci)
            {
                if (!_seen.Add(locus))
                {
                    return null;
                }
            }

            _text.Append(_text.Length == 0 ? "" : "^").Append(a.Text);
        }

        return _text.ToString();
    }

    private static (string Text, HlaLocus[] Loci)? Check(string part, HlaMatcher matcher)
    {
        try
        {
            var typing = TypingAcceptance.Read(part, matcher);
            return (typing.ToString(), [.. typing.Loci.Keys]);
        }
        catch (HlaInputException)
        {
            return null;
        }
    }
}
