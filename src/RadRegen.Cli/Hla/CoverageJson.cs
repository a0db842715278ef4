using System.Text.Json;
using System.Text.Json.Serialization;
using RadRegen.Cli.Infrastructure;

namespace RadRegen.Cli.Hla;

/// <summary>
/// The <c>hla coverage --json</c> document. Named types with a source-generated serializer
/// (<see cref="CoverageJsonContext"/>) rather than anonymous ones: a short run does not pay for
/// reflection and JIT-compiled converters (docs/performance.md, "Start-up and hla coverage").
/// Property names and order are the output's; do not reorder.
/// </summary>
internal sealed record CoverageJson(
    int Haplotypes,
    double Cis,
    double Trans,
    CoverageRowJson[] Rows,
    string[] Loci,
    string? Resolution,
    string Frequencies,
    int InputHaplotypes,
    int Merged,
    MergedHaplotypeJson[]? MergedHaplotypes,
    List<string> Warnings);

/// <summary>One row of <see cref="CoverageJson.Rows"/>.</summary>
internal sealed record CoverageRowJson(
    int Rank, string? Id, string Haplotype, double Frequency, double CumulativeCis, double CumulativeTrans, double? Screen);

/// <summary>One haplotype merged by the reduction.</summary>
internal sealed record MergedHaplotypeJson(string Haplotype, double Frequency, string[] Sources);

/// <summary>Source-generated metadata for <see cref="CoverageJson"/>, with <see cref="CliAction.Json"/>'s options.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(CoverageJson))]
internal sealed partial class CoverageJsonContext : JsonSerializerContext
{
    /// <summary>The context bound to a copy of <see cref="CliAction.Json"/> (encoder, indentation, number handling).</summary>
    public static CoverageJsonContext Cli { get; } = new(new JsonSerializerOptions(CliAction.Json));
}
