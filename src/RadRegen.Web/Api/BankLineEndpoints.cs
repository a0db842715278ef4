using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Web.Security;
using RadRegen.Core.Access;

namespace RadRegen.Web.Api;

/// <summary><c>/api/v1/bank/lines</c> and <c>/cell-banks</c>: iPSC lines and their cell banks (<see cref="LineService"/>).</summary>
internal static class BankLineEndpoints
{
    public static RouteGroupBuilder MapBankLines(this RouteGroupBuilder api)
    {
        var lines = api.MapGroup("/lines");
        lines.MapGet("", ListLines).WithSummary("iPSC lines: q searches line code, clone, method and donor code; sort code|donor|created|passage (\"-\" descending); paged (ApiLists: X-Total-Count, Link). With donorId: that donor's lines.");
        lines.MapPost("", CreateLine).WithSummary("Registers an iPSC line of a donor.")
            .Demands(Operation.BankLineCreate);
        lines.MapGet("/{id:long}", GetLine).WithSummary("One line.");
        lines.MapGet("/{id:long}/cell-banks", ListBanks).WithSummary("The master and working cell banks of a line.");
        api.MapGroup("/cell-banks").MapPost("", CreateBank)
            .WithSummary("Lays down a master cell bank (from a line) or a working cell bank (from a master cell bank).")
            .Demands(Operation.BankCellBankCreate);
        return api;
    }

    private static async Task<Ok<IReadOnlyList<CellLine>>> ListLines(long? donorId, string? q, int? page, int? pageSize, string? sort,
        HttpContext http, LineService lines, CancellationToken ct) =>
        TypedResults.Ok(donorId is not null
            ? await lines.ListLinesAsync(http.Actor(), donorId, ct)
            : ApiLists.Items(http, await lines.SearchLinesAsync(http.Actor(), ApiLists.Query(q, page, pageSize, sort), ct)));

    private static async Task<Created<CellLine>> CreateLine(CreateLineRequest input, HttpContext http, LineService lines, CancellationToken ct)
    {
        var line = await lines.CreateLineAsync(http.Actor(), input, null, ct);
        return TypedResults.Created($"/api/v1/bank/lines/{line.Id}", line);
    }

    private static async Task<Ok<CellLine>> GetLine(long id, HttpContext http, LineService lines, CancellationToken ct) =>
        TypedResults.Ok(await lines.GetLineAsync(http.Actor(), id, ct));

    private static async Task<Ok<IReadOnlyList<CellBank>>> ListBanks(long id, HttpContext http, LineService lines, CancellationToken ct) =>
        TypedResults.Ok(await lines.ListBanksAsync(http.Actor(), id, ct));

    private static async Task<Created<CellBank>> CreateBank(CreateBankRequest input, HttpContext http, LineService lines, CancellationToken ct)
    {
        var b = await lines.CreateBankAsync(http.Actor(), input, null, ct);
        return TypedResults.Created($"/api/v1/bank/lines/{b.LineId}/cell-banks", b);
    }
}
