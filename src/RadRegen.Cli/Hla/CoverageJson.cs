using System.Buffers;
using System.Text;
using System.Text.Json;
using RadRegen.Cli.Infrastructure;
using RadRegen.Hla.Coverage;
using RadRegen.Hla.Frequencies;

namespace RadRegen.Cli.Hla;

/// <summary>
/// Writes the <c>hla coverage --json</c> document with a <see cref="Utf8JsonWriter"/>: the same bytes
/// as <see cref="JsonSerializer"/> with <see cref="CliAction.Json"/> (camelCase names in this order,
/// indented, <c>UnsafeRelaxedJsonEscaping</c>, NaN and infinities as named literals), without the
/// serializer's reflection or generic metadata, which a short run pays for in JIT compilation
/// (docs/performance.md, "Start-up and hla coverage"). Do not reorder the properties.
/// </summary>
internal static class CoverageJson
{
    public static string Write(
        CoverageReport report, IEnumerable<string> loci, string? resolution, string frequencies, FrequencyReduction reduction,
        bool withMerged, List<string> warnings)
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Encoder = CliAction.Json.Encoder,
            Indented = CliAction.Json.WriteIndented,
            IndentCharacter = CliAction.Json.IndentCharacter,
            IndentSize = CliAction.Json.IndentSize,
            NewLine = CliAction.Json.NewLine,
            MaxDepth = CliAction.Json.MaxDepth,
        }))
        {
            w.WriteStartObject();
            w.WriteNumber("haplotypes", report.Haplotypes);
            Number(w, "cis", report.Cis);
            Number(w, "trans", report.Trans);
            w.WriteStartArray("rows");
            foreach (var r in report.Rows)
            {
                w.WriteStartObject();
                w.WriteNumber("rank", r.Rank);
                w.WriteString("id", r.Id);
                w.WriteString("haplotype", r.Haplotype.Name);
                Number(w, "frequency", r.Frequency);
                Number(w, "cumulativeCis", r.CumulativeCis);
                Number(w, "cumulativeTrans", r.CumulativeTrans);
                if (r.Screen is { } screen)
                {
                    Number(w, "screen", screen);
                }
                else
                {
                    w.WriteNull("screen");
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("loci");
            foreach (var l in loci)
            {
                w.WriteStringValue(l);
            }

            w.WriteEndArray();
            w.WriteString("resolution", resolution);
            w.WriteString("frequencies", frequencies);
            w.WriteNumber("inputHaplotypes", reduction.InputHaplotypes);
            w.WriteNumber("merged", reduction.Merged.Length);
            if (withMerged)
            {
                w.WriteStartArray("mergedHaplotypes");
                foreach (var m in reduction.Merged)
                {
                    w.WriteStartObject();
                    w.WriteString("haplotype", m.Result.Name);
                    Number(w, "frequency", m.Frequency);
                    w.WriteStartArray("sources");
                    foreach (var s in m.Sources)
                    {
                        w.WriteStringValue(s.Name);
                    }

                    w.WriteEndArray();
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }
            else
            {
                w.WriteNull("mergedHaplotypes");
            }

            w.WriteStartArray("warnings");
            foreach (var s in warnings)
            {
                w.WriteStringValue(s);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    // JsonNumberHandling.AllowNamedFloatingPointLiterals: NaN and the infinities as the strings the serializer writes.
    private static void Number(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value))
        {
            w.WriteNumber(name, value);
        }
        else
        {
            w.WriteString(name, double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
    }
}
