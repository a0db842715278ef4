using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text.Json;

namespace RadRegen.Hla.Frequencies;

/// <summary>
/// HFX exchange-format metadata of a frequency file (nmdp-bioinformatics/hfx; the
/// <c>*.hfx-metadata.json</c> files beside the NMDP 2007 sets). Only the fields RadRegen uses are
/// read; the rest stay in <see cref="Json"/>.
/// </summary>
public sealed record HfxMetadata(
    string? Population,
    long? CohortSize,
    string? NomenclatureDatabase,
    string? NomenclatureVersion,
    string? Method,
    string? FrequencyLocation,
    string? HaplotypeColumn,
    string? FrequencyColumn,
    string? CountColumn,
    string? CheckSum,
    ImmutableArray<string> Resolutions,
    string Json)
{
    /// <summary>Parses HFX metadata JSON; malformed JSON is an error naming the source.</summary>
    public static HfxMetadata Parse(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            var m = root.TryGetProperty("metadata", out var inner) ? inner : root;
            var cohort = Get(m, "cohortDescription");
            var population = cohort is { } c && Get(c, "population") is { ValueKind: JsonValueKind.Array } pops && pops.GetArrayLength() > 0
                ? Str(pops[0], "name") : null;
            long? size = cohort is { } c2 && Get(c2, "cohortSize") is { ValueKind: JsonValueKind.Number } n ? (long)n.GetDouble() : null;
            var nom = Get(m, "nomenclatureUsed");
            var header = Get(m, "frequencyFileHeader");
            var res = Get(m, "outputResolution") is { ValueKind: JsonValueKind.Array } arr
                ? arr.EnumerateArray().Select(e => $"{Str(e, "locus")}:{Str(e, "resolution")}").ToImmutableArray()
                : [];
            return new HfxMetadata(
                population,
                size,
                nom is { } n1 ? Str(n1, "database") : null,
                nom is { } n2 ? Str(n2, "version") : null,
                Get(m, "hfeMethod") is { } meth ? Str(meth, "method") : null,
                Str(m, "frequencyLocation"),
                header is { } h1 ? Str(h1, "haplotype") : null,
                header is { } h2 ? Str(h2, "frequency") : null,
                header is { } h3 ? Str(h3, "count") : null,
                Str(m, "checkSum"),
                res,
                json);
        }
        catch (JsonException ex)
        {
            throw HlaInputException.At($"not valid HFX metadata JSON: {ex.Message}", source, (int?)ex.LineNumber + 1);
        }
    }

    /// <summary>
    /// Checks the metadata against the frequency file it is said to describe: the file name in
    /// <c>frequencyLocation</c> and the MD5 <c>checkSum</c>. Returns warnings (empty when both agree).
    /// The published NMDP 2007 AFA, API and HIS metadata carry the CAU file's location or checksum,
    /// so a mismatch is reported, not fatal.
    /// </summary>
    public ImmutableArray<string> Verify(string frequencyFileName, ReadOnlySpan<byte> frequencyFileBytes)
    {
        var warnings = ImmutableArray.CreateBuilder<string>();
        if (FrequencyLocation is { } loc)
        {
            var named = loc.StartsWith("file://", StringComparison.Ordinal) ? loc[7..] : loc;
            if (!string.Equals(Path.GetFileName(named), Path.GetFileName(frequencyFileName), StringComparison.Ordinal))
            {
                warnings.Add($"HFX metadata names {named} as its frequency file, not {Path.GetFileName(frequencyFileName)}");
            }
        }

        if (CheckSum is { Length: 32 } sum)
        {
#pragma warning disable CA5351 // MD5 is what the HFX format uses for its checkSum; it is a label check, not security.
            var actual = Convert.ToHexStringLower(MD5.HashData(frequencyFileBytes));
#pragma warning restore CA5351
            if (!string.Equals(actual, sum, StringComparison.OrdinalIgnoreCase))
            {
                warnings.Add($"HFX checkSum {sum} does not match the file's MD5 {actual}");
            }
        }

        return warnings.ToImmutable();
    }

    private static JsonElement? Get(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v : null;

    private static string? Str(JsonElement e, string name) =>
        Get(e, name) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;
}
