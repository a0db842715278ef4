using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using RadRegen.Bank.Identity;
using RadRegen.Bank.Import;
using RadRegen.Bank.Services;
using RadRegen.Hosting.Bank;
using RadRegen.Web.Bank;
using RadRegen.Web.Security;

using static RadRegen.Web.Api.BankEndpoints;
using RadRegen.Core.Access;

namespace RadRegen.Web.Api;

/// <summary>The bank's tools: DIN check characters, the inventory import, the haplobank's coverage, expiry on demand.</summary>
internal static class BankToolEndpoints
{
    public static RouteGroupBuilder MapBankTools(this RouteGroupBuilder api)
    {
        api.MapGet("/dins/{din}/check-character", CheckCharacter).WithSummary("ISO/IEC 7064 MOD 37-2 check character and type-3 flag of a DIN.");
        api.MapPost("/imports", Import).Accepts<string>("text/csv")
            .WithSummary("Imports an inventory CSV (body, text/csv): every row is validated first, every bad row listed (400); all or nothing.")
            .Demands(Operation.BankInventoryImport);
        api.MapGet("/haplobank", Haplobank)
            .WithSummary("Haplobank: cis and trans coverage of a population (NMDP 2007 API, CAU, AFA, HIS) by the released homozygous lines, and what to recruit next.");
        api.MapPost("/expiry", ExpireDue).WithSummary("Expires every vial past its expiry now.")
            .Demands(Operation.BankVialExpire);
        return api;
    }

    private static Ok<CheckCharacterResponse> CheckCharacter(string din)
    {
        var d = Din.Parse(din);
        return TypedResults.Ok(new CheckCharacterResponse(d.Value, d.Checksum, d.CheckCharacter.ToString(), d.Type3Flag));
    }

    private static async Task<Ok<ImportReport>> Import(HttpContext http, InventoryImport import, CancellationToken ct)
    {
        using var reader = await RadRegen.Core.Csv.CsvReading.DecodeAsync(http.Request.Body, "", ct);
        return TypedResults.Ok(await import.ImportAsync(http.Actor(), reader, "upload", ct));
    }

    private static async Task<Ok<object>> Haplobank(string? population, HttpContext http, HaplobankView view, CancellationToken ct)
    {
        var r = await view.ComputeAsync(http.Actor(), population, 10, ct);
        return TypedResults.Ok<object>(new
        {
            r.Population,
            r.Haplotypes,
            lines = r.Coverage.Rows.Select((row, i) => new
            {
                row.Rank, line = row.Id, haplotype = row.Haplotype.Name, row.Frequency, cis = row.CumulativeCis, trans = row.CumulativeTrans,
                releasedVials = r.Lines[i].ReleasedVials,
            }),
            cis = r.Coverage.Cis,
            trans = r.Coverage.Trans,
            recruitNext = r.RecruitNext.Select(x => new { haplotype = x.Haplotype.Name, x.Frequency, donorsToScreen = x.Screen }),
            plan = new
            {
                frequencyOrder = r.Plan.ByFrequency.Rows.Select(x => new { x.Rank, haplotype = x.Haplotype.Name, cis = x.CumulativeCis, trans = x.CumulativeTrans }),
                greedy = r.Plan.Greedy.Rows.Select(x => new { x.Rank, haplotype = x.Haplotype.Name, cis = x.CumulativeCis, trans = x.CumulativeTrans }),
            },
        });
    }

    private static async Task<Ok<ExpiryResponse>> ExpireDue(HttpContext http, VialService vials, CancellationToken ct) =>
        TypedResults.Ok(new ExpiryResponse(await vials.ExpireDueAsync(http.Actor(), ct)));
}
