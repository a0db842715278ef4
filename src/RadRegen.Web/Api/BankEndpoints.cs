using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using RadRegen.Bank;
using RadRegen.Bank.Catalogue;
using RadRegen.Bank.Identity;
using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Core;
using RadRegen.Web.Bank;
using RadRegen.Web.Security;

using static RadRegen.Web.Api.ApiVersions;

namespace RadRegen.Web.Api;

/// <summary>The cell bank's REST API under <c>/api/v1/bank</c>. Role checks live in <see cref="BankService"/>.</summary>
public static class BankEndpoints
{
    public sealed record DonorInput(string? Code, bool Banking, bool Research, bool Clinical, DateTimeOffset? ConsentedAt,
        Dictionary<string, string>? Screening, string? HlaGl, string? Reason);

    public sealed record ReasonInput(string? Reason);

    public sealed record LotInput(string ProductCode, long WcbId, int Vials, string? LotNumber, DateTimeOffset? ManufacturedAt, long? BoxId, string? Reason);

    public sealed record QcInput(string TestCode, string Value, string? Unit);

    public sealed record SignInput(string? Password, string? Meaning, string? Reason);

    public sealed record ReserveInput(string ReservedFor);

    public sealed record TransitionInput(string? Reason, string? Password);

    public sealed record MoveInput(long BoxId, int Row, int Column, string Reason);

    public sealed record TemperatureInput(double Celsius, DateTimeOffset? MeasuredAt);

    public sealed record CheckCharacterResponse(string Din, int Checksum, string CheckCharacter, string Type3Flag);

    public sealed record QcResponse(QcResult Result, Deviation? Deviation);

    public static IEndpointRouteBuilder MapBankApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/bank").RequireAuthorization().WithTags("bank");

        api.MapGet("/products", async (HttpContext http, BankService bank, CancellationToken ct) =>
            TypedResults.Ok(await bank.ListProductsAsync(http.Actor(), ct))).WithSummary("The product catalogue with QC specifications.");
        api.MapGet("/products/{code}", async (string code, HttpContext http, BankService bank, CancellationToken ct) =>
        {
            var p = await bank.GetProductAsync(http.Actor(), code, ct);
            ETag(http, p.Version);
            return TypedResults.Ok(p);
        }).WithSummary("One product.");
        api.MapPut("/products/{code}", async (string code, Product product, HttpContext http, BankService bank, CancellationToken ct) =>
            TypedResults.Ok(await bank.SaveProductAsync(http.Actor(), product with { Code = code.ToUpperInvariant() }, IfMatchInt32(http), null, ct)))
            .WithSummary("Adds or changes a product (QA officer, admin); changing needs If-Match with its version.");

        api.MapGet("/donors", async (HttpContext http, BankService bank, CancellationToken ct) =>
            TypedResults.Ok(await bank.ListDonorsAsync(http.Actor(), ct))).WithSummary("Donors (pseudonymous codes).");
        api.MapPost("/donors", async (DonorInput input, HttpContext http, BankService bank, CancellationToken ct) =>
        {
            var donor = await bank.RegisterDonorAsync(http.Actor(), new RegisterDonorRequest(input.Code,
                new ConsentScopes(input.Banking, input.Research, input.Clinical), input.ConsentedAt,
                [.. (input.Screening ?? []).Select(kv => new ScreeningResult(kv.Key, kv.Value))], input.HlaGl, input.Reason), ct);
            return TypedResults.Created($"/api/v1/bank/donors/{donor.Id}", donor);
        }).WithSummary("Registers a donor with consent, infectious-marker screening and HLA typing (GL String).");
        api.MapGet("/donors/{id:long}", async (long id, HttpContext http, BankService bank, CancellationToken ct) =>
        {
            var d = await bank.GetDonorAsync(http.Actor(), id, ct);
            ETag(http, d.Version);
            return TypedResults.Ok(d);
        }).WithSummary("One donor.");
        api.MapPost("/donors/{id:long}/consent-withdrawal", async (long id, ReasonInput input, HttpContext http, BankService bank, CancellationToken ct) =>
            TypedResults.Ok(await bank.WithdrawConsentAsync(http.Actor(), id, input.Reason ?? "", ct)))
            .WithSummary("Records a consent withdrawal: blocks new use, flags existing lines, lots and vials.");

        api.MapGet("/lines", async (long? donorId, HttpContext http, BankService bank, CancellationToken ct) =>
            TypedResults.Ok(await bank.ListLinesAsync(http.Actor(), donorId, ct))).WithSummary("iPSC lines, optionally of one donor.");
        api.MapPost("/lines", async (CreateLineRequest input, HttpContext http, BankService bank, CancellationToken ct) =>
        {
            var line = await bank.CreateLineAsync(http.Actor(), input, null, ct);
            return TypedResults.Created($"/api/v1/bank/lines/{line.Id}", line);
        }).WithSummary("Registers an iPSC line of a donor.");
        api.MapGet("/lines/{id:long}", async (long id, HttpContext http, BankService bank, CancellationToken ct) =>
            TypedResults.Ok(await bank.GetLineAsync(http.Actor(), id, ct))).WithSummary("One line.");
        api.MapGet("/lines/{id:long}/cell-banks", async (long id, HttpContext http, BankService bank, CancellationToken ct) =>
            TypedResults.Ok(await bank.ListBanksAsync(http.Actor(), id, ct))).WithSummary("The master and working cell banks of a line.");
        api.MapPost("/cell-banks", async (CreateBankRequest input, HttpContext http, BankService bank, CancellationToken ct) =>
        {
            var b = await bank.CreateBankAsync(http.Actor(), input, null, ct);
            return TypedResults.Created($"/api/v1/bank/lines/{b.LineId}/cell-banks", b);
        }).WithSummary("Lays down a master cell bank (from a line) or a working cell bank (from a master cell bank).");

        api.MapGet("/lots", async (long? lineId, string? status, HttpContext http, BankService bank, CancellationToken ct) =>
            TypedResults.Ok(await bank.ListLotsAsync(http.Actor(), lineId, ParseLotStatus(status), 200, ct))).WithSummary("Lots, newest first.");
        api.MapPost("/lots", async (LotInput input, HttpContext http, BankService bank, CancellationToken ct) =>
        {
            var lot = await bank.CreateLotAsync(http.Actor(), new CreateLotRequest(input.ProductCode, input.WcbId, input.Vials, input.LotNumber,
                input.ManufacturedAt, input.BoxId), input.Reason, ct);
            return TypedResults.Created($"/api/v1/bank/lots/{lot.Id}", lot);
        }).WithSummary("Makes a lot from a working cell bank: a new DIN, vials in quarantine, optionally placed in a box.");
        api.MapGet("/lots/{id:long}", async (long id, HttpContext http, BankService bank, CancellationToken ct) =>
        {
            var detail = await bank.GetLotAsync(http.Actor(), id, ct);
            ETag(http, detail.Lot.Version);
            return TypedResults.Ok(detail);
        }).WithSummary("A lot with its product, vials, QC results, deviations, signatures and release readiness.");
        api.MapPost("/lots/{id:long}/qc-results", async (long id, QcInput input, HttpContext http, BankService bank, CancellationToken ct) =>
        {
            var (result, deviation) = await bank.RecordQcResultAsync(http.Actor(), id, input.TestCode, input.Value, input.Unit, ct);
            return TypedResults.Created($"/api/v1/bank/lots/{id}", new QcResponse(result, deviation));
        }).WithSummary("Records a QC result against the specification; out of specification opens a deviation.");
        api.MapPost("/lots/{id:long}/release", async (long id, SignInput input, HttpContext http, BankService bank, CancellationToken ct) =>
            TypedResults.Ok(await bank.ReleaseLotAsync(http.Actor(), id, input.Password ?? "", input.Meaning ?? "released", IfMatchInt32(http), ct)))
            .WithSummary("Releases a lot with the QA officer's e-signature (password and meaning); never by whoever recorded its results.");
        api.MapPost("/lots/{id:long}/reject", async (long id, SignInput input, HttpContext http, BankService bank, CancellationToken ct) =>
            TypedResults.Ok(await bank.RejectLotAsync(http.Actor(), id, input.Password ?? "", input.Reason ?? "", ct)))
            .WithSummary("Rejects a lot in quarantine with an e-signature; its vials are discarded.");

        api.MapGet("/deviations", async (string? status, HttpContext http, BankService bank, CancellationToken ct) =>
            TypedResults.Ok(await bank.ListDeviationsAsync(http.Actor(), status is null ? null : Enum.Parse<DeviationStatus>(status, true), ct)))
            .WithSummary("Deviations, optionally open or closed.");
        api.MapPost("/deviations/{id:long}/close", async (long id, ReasonInput input, HttpContext http, BankService bank, CancellationToken ct) =>
            TypedResults.Ok(await bank.CloseDeviationAsync(http.Actor(), id, input.Reason ?? "", ct))).WithSummary("QA closes a deviation with its conclusion.");

        api.MapGet("/vials", async (string? productCode, string? status, string? haplotype, string? compatibleWith, long? locationId,
            DateTimeOffset? expiresBefore, string? lotNumber, int? page, int? pageSize, HttpContext http, BankService bank, CancellationToken ct) =>
            TypedResults.Ok(await bank.SearchAsync(http.Actor(), new InventorySearch(productCode, status, haplotype, compatibleWith, locationId,
                expiresBefore, lotNumber, page ?? 1, pageSize ?? 50), ct)))
            .WithSummary("Inventory search by product, status, HLA (haplotype or compatibility with a patient's GL String), location, expiry.");
        api.MapGet("/vials.csv", async (string? productCode, string? status, string? haplotype, string? compatibleWith, long? locationId,
            DateTimeOffset? expiresBefore, string? lotNumber, HttpContext http, BankService bank, CancellationToken ct) =>
            await InventoryCsv.ExportAsync(bank, http.Actor(), new InventorySearch(productCode, status, haplotype, compatibleWith,
                locationId, expiresBefore, lotNumber), ct))
            .WithSummary("The same search as CSV.");
        api.MapGet("/vials/{id:long}", async (long id, HttpContext http, BankService bank, CancellationToken ct) =>
        {
            var v = await bank.GetVialAsync(http.Actor(), id, ct);
            ETag(http, v.Lineage.Vial.Version);
            return TypedResults.Ok(v);
        }).WithSummary("A vial with its lineage back to donor and consent, and its chain of custody.");
        api.MapPost("/vials/{id:long}/reserve", async (long id, ReserveInput input, HttpContext http, BankService bank, CancellationToken ct) =>
            TypedResults.Ok(await bank.ReserveAsync(http.Actor(), id, input.ReservedFor, IfMatchInt32(http), ct)))
            .WithSummary("Reserves a released vial; 409 when someone else reserved it first.");
        api.MapPost("/vials/{id:long}/cancel-reservation", async (long id, TransitionInput input, HttpContext http, BankService bank, CancellationToken ct) =>
            TypedResults.Ok(await bank.CancelReservationAsync(http.Actor(), id, input.Reason ?? "", IfMatchInt32(http), ct))).WithSummary("Returns a reserved vial to stock.");
        api.MapPost("/vials/{id:long}/ship", async (long id, TransitionInput input, HttpContext http, BankService bank, CancellationToken ct) =>
            TypedResults.Ok(await bank.ShipAsync(http.Actor(), id, input.Reason ?? "", IfMatchInt32(http), ct))).WithSummary("Ships a reserved vial (reason: destination).");
        api.MapPost("/vials/{id:long}/receive", async (long id, TransitionInput input, HttpContext http, BankService bank, CancellationToken ct) =>
            TypedResults.Ok(await bank.ReceiveAsync(http.Actor(), id, input.Reason ?? "", IfMatchInt32(http), ct))).WithSummary("Records receipt of a shipped vial.");
        api.MapPost("/vials/{id:long}/thaw", async (long id, TransitionInput input, HttpContext http, BankService bank, CancellationToken ct) =>
            TypedResults.Ok(await bank.ThawAsync(http.Actor(), id, input.Reason ?? "", IfMatchInt32(http), ct))).WithSummary("Thaws a received vial.");
        api.MapPost("/vials/{id:long}/administer", async (long id, TransitionInput input, HttpContext http, BankService bank, CancellationToken ct) =>
            TypedResults.Ok(await bank.AdministerAsync(http.Actor(), id, input.Reason ?? "", input.Password ?? "", IfMatchInt32(http), ct)))
            .WithSummary("Records administration (physician's e-signature; reason: the patient).");
        api.MapPost("/vials/{id:long}/discard", async (long id, TransitionInput input, HttpContext http, BankService bank, CancellationToken ct) =>
            TypedResults.Ok(await bank.DiscardAsync(http.Actor(), id, input.Reason ?? "", input.Password ?? "", IfMatchInt32(http), ct)))
            .WithSummary("Discards a vial with an e-signature and a reason.");
        api.MapPost("/vials/{id:long}/move", async (long id, MoveInput input, HttpContext http, BankService bank, CancellationToken ct) =>
            TypedResults.Ok(await bank.MoveAsync(http.Actor(), id, input.BoxId, input.Row, input.Column, input.Reason, IfMatchInt32(http), ct)))
            .WithSummary("Moves a vial to a free position of a box (custody event); 409 when the position is taken.");

        api.MapGet("/locations", async (HttpContext http, BankService bank, CancellationToken ct) =>
            TypedResults.Ok(await bank.ListLocationsAsync(http.Actor(), ct))).WithSummary("Sites, tanks, freezers, racks and boxes with capacity and occupancy.");
        api.MapPost("/locations", async (CreateLocationRequest input, HttpContext http, BankService bank, CancellationToken ct) =>
        {
            var l = await bank.CreateLocationAsync(http.Actor(), input, ct);
            return TypedResults.Created($"/api/v1/bank/locations/{l.Id}", l);
        }).WithSummary("Adds a site, tank, freezer, rack or box (rows × columns).");
        api.MapGet("/boxes/{id:long}", async (long id, HttpContext http, BankService bank, CancellationToken ct) =>
            TypedResults.Ok(await bank.GetBoxAsync(http.Actor(), id, ct))).WithSummary("A box's occupancy map.");
        api.MapPost("/locations/{id:long}/temperatures", async (long id, TemperatureInput input, HttpContext http, BankService bank, CancellationToken ct) =>
            TypedResults.Ok(await bank.RecordTemperatureAsync(http.Actor(), id, input.Celsius, input.MeasuredAt, ct)))
            .WithSummary("Records a temperature of a tank or freezer; an excursion flags every vial inside.");
        api.MapGet("/locations/{id:long}/temperatures", async (long id, HttpContext http, BankService bank, CancellationToken ct) =>
            TypedResults.Ok(await bank.ListTemperaturesAsync(http.Actor(), id, ct))).WithSummary("Recent temperatures of a tank or freezer.");

        api.MapGet("/dins/{din}/check-character", (string din) =>
        {
            var d = Din.Parse(din);
            return TypedResults.Ok(new CheckCharacterResponse(d.Value, d.Checksum, d.CheckCharacter.ToString(), d.Type3Flag));
        }).WithSummary("ISO/IEC 7064 MOD 37-2 check character and type-3 flag of a DIN.");
        api.MapPost("/imports", async (HttpContext http, RadRegen.Bank.Import.InventoryImport import, CancellationToken ct) =>
        {
            using var reader = await RadRegen.Core.Csv.CsvReading.DecodeAsync(http.Request.Body, "", ct);
            return TypedResults.Ok(await import.ImportAsync(http.Actor(), reader, "upload", ct));
        }).Accepts<string>("text/csv")
            .WithSummary("Imports an inventory CSV (body, text/csv): every row is validated first, every bad row listed (400); all or nothing.");
        api.MapGet("/haplobank", async (string? population, HttpContext http, HaplobankView view, CancellationToken ct) =>
        {
            var r = await view.ComputeAsync(http.Actor(), population, 10, ct);
            return TypedResults.Ok(new
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
        }).WithSummary("Haplobank: cis and trans coverage of a population (NMDP 2007 API, CAU, AFA, HIS) by the released homozygous lines, and what to recruit next.");
        api.MapPost("/expiry", async (HttpContext http, BankService bank, CancellationToken ct) =>
            TypedResults.Ok(new { expired = await bank.ExpireDueAsync(http.Actor(), ct) })).WithSummary("Expires every vial past its expiry now.");

        return app;
    }



    private static LotStatus? ParseLotStatus(string? status) =>
        string.IsNullOrWhiteSpace(status) ? null
        : Enum.TryParse<LotStatus>(status, true, out var s) ? s
        : throw new DomainValidationException("status", "quarantine, released or rejected");
}
