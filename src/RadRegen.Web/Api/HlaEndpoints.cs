using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using RadRegen.Core.Access;
using RadRegen.Hosting.Hla;
using RadRegen.Web.Security;

namespace RadRegen.Web.Api;

/// <summary>
/// The HLA workbench's API (issue 17 item 3) under <c>/api/v1/hla</c>: the same engine and service
/// as the pages at <c>/hla</c> (<see cref="HlaWorkbench"/>). A typing that does not parse is a 400
/// naming the part that failed; an unknown frequency set a 404.
/// </summary>
internal static class HlaEndpoints
{
    public static IEndpointRouteBuilder MapHlaApi(this IEndpointRouteBuilder app)
    {
        var hla = app.MapGroup("/api/v1/hla").RequireAuthorization().WithTags("hla");
        hla.MapGet("/typings/explain", Explain).WithName("ExplainHlaTyping")
            .WithSummary("Parses a GL String (query gl) and explains each locus and name: kind, resolution, ambiguity, and MACs/serology/G/P groups expanded when the operator's files are loaded.");
        hla.MapGet("/reference-files", ReferenceFiles).WithName("ListHlaReferenceFiles")
            .WithSummary("The operator's IPD-IMGT/HLA and NMDP MAC files and whether each is loaded.");
        hla.MapGet("/match", Match).WithName("MatchHlaPatient")
            .WithSummary("A patient (typing=GL String or patientId=care patient) against the bank's released homozygous lines and typed donors: HvG/GvH per locus and, with frequencySet, P(HvG-compatible). level=1field|2field|pgroup, top=N.");
        hla.MapGet("/frequency-sets", ListSets).WithName("ListHlaFrequencySets")
            .WithSummary("The built-in NMDP 2007 sets and the sets the center registered.");
        hla.MapGet("/frequency-sets/{key}", GetSet).WithName("GetHlaFrequencySet").WithSummary("One frequency set (404 when unknown).");
        hla.MapPost("/frequency-sets", RegisterSet).WithName("RegisterHlaFrequencySet").Demands(Operation.HlaFrequencySetRegister)
            .WithSummary("Registers a haplotype-frequency set (JSON: key, name, population, source, content = the CSV, partial). Read with the engine's checks; 400 names each bad field.");
        hla.MapGet("/frequency-sets/{key}/coverage", Coverage).WithName("GetHlaCoverage")
            .WithSummary("Cis and trans coverage of the set's population by the bank's released homozygous lines, and the recruitment plan (extra = lines beyond the bank, default 10).");
        return app;
    }

    private static Ok<TypingExplanation> Explain(string? gl, HttpContext http, HlaWorkbench workbench) =>
        TypedResults.Ok(workbench.Explain(http.Actor(), gl));

    private static Ok<IReadOnlyList<ReferenceFileState>> ReferenceFiles(HttpContext http, HlaWorkbench workbench)
    {
        http.Actor().Demand(Operation.HlaWorkbenchUse);
        return TypedResults.Ok(workbench.Reference.Files);
    }

    private static async Task<Ok<object>> Match(string? typing, long? patientId, string? frequencySet, string? level, int? top,
        HttpContext http, HlaWorkbench workbench, CancellationToken ct)
    {
        var m = await workbench.MatchAsync(http.Actor(), new WorkbenchMatchQuery(typing, patientId, frequencySet, level, top ?? 20), ct);
        object Row(GraftMatch g) => new
        {
            g.Kind,
            g.Code,
            g.RecordId,
            g.Typing,
            g.Homozygous,
            hvgMismatches = g.Result.HvgMismatches,
            hvgMismatchesBestCase = g.Result.HvgMismatchesBestCase,
            gvhMismatches = g.Result.GvhMismatches,
            gvhMismatchesBestCase = g.Result.GvhMismatchesBestCase,
            registryMismatches = g.Result.RegistryMismatches,
            hvgCompatible = g.Result.HvgCompatible,
            possiblyHvgCompatible = g.Result.PossiblyHvgCompatible,
            matchProbability = g.Probability,
            explanation = g.Result.Explanation,
            perLocus = g.Result.Loci.Select(l => new
            {
                locus = l.Locus.ToString(), hvg = l.HvgMax, hvgBestCase = l.HvgMin, gvh = l.GvhMax, gvhBestCase = l.GvhMin, registry = l.RegistryMax, l.Explanation,
            }),
        };
        return TypedResults.Ok<object>(new
        {
            patient = m.Patient,
            m.PatientCode,
            m.Level,
            m.Loci,
            m.ReferenceVersion,
            frequencySet = m.Set?.Key,
            m.Diplotypes,
            m.Unrepresented,
            m.LinesProbability,
            lines = m.Lines.Select(Row),
            donors = m.Donors.Select(Row),
            m.Skipped,
        });
    }

    private static async Task<Ok<IReadOnlyList<FrequencySetSummary>>> ListSets(HttpContext http, HlaWorkbench workbench, CancellationToken ct) =>
        TypedResults.Ok(await workbench.ListSetsAsync(http.Actor(), ct));

    private static async Task<Ok<FrequencySetSummary>> GetSet(string key, HttpContext http, HlaWorkbench workbench, CancellationToken ct) =>
        TypedResults.Ok(await workbench.GetSetAsync(http.Actor(), key, ct));

    private static async Task<Created<FrequencySetSummary>> RegisterSet(NewFrequencySet request, HttpContext http, HlaWorkbench workbench, CancellationToken ct)
    {
        var set = await workbench.RegisterSetAsync(http.Actor(), request, ct);
        return TypedResults.Created($"/api/v1/hla/frequency-sets/{Uri.EscapeDataString(set.Key)}", set);
    }

    private static async Task<Ok<object>> Coverage(string key, int? extra, HttpContext http, HlaWorkbench workbench, CancellationToken ct)
    {
        var r = await workbench.CoverageAsync(http.Actor(), key, extra ?? 10, ct);
        return TypedResults.Ok<object>(new
        {
            set = r.Set,
            r.Haplotypes,
            r.Merged,
            cis = r.Coverage.Cis,
            trans = r.Coverage.Trans,
            lines = r.Coverage.Rows.Select((row, i) => new
            {
                row.Rank, line = row.Id, haplotype = row.Haplotype.Name, row.Frequency, cis = row.CumulativeCis, trans = row.CumulativeTrans,
                releasedVials = r.Lines[i].ReleasedVials,
            }),
            recruitNext = r.RecruitNext.Select(x => new { haplotype = x.Haplotype.Name, x.Frequency, donorsToScreen = x.Screen }),
            plan = new
            {
                frequencyOrder = r.Plan.ByFrequency.Rows.Select(x => new { x.Rank, haplotype = x.Haplotype.Name, x.Frequency, cis = x.CumulativeCis, trans = x.CumulativeTrans }),
                greedy = r.Plan.Greedy.Rows.Select(x => new { x.Rank, haplotype = x.Haplotype.Name, x.Frequency, cis = x.CumulativeCis, trans = x.CumulativeTrans }),
            },
        });
    }
}
