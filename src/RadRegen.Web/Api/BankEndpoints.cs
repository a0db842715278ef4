using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Core;

namespace RadRegen.Web.Api;

/// <summary>
/// The cell bank's REST API under <c>/api/v1/bank</c>, one group per feature (each in its own file,
/// with named handlers): products, donors, lines and cell banks, lots with QC and release, vials,
/// storage, and the bank's tools. Role checks live in the services (<see cref="BankService"/>'s features).
/// </summary>
public static class BankEndpoints
{
    public sealed record DonorInput(string? Code, bool Banking, bool Research, bool Clinical, DateTimeOffset? ConsentedAt,
        Dictionary<string, string>? Screening, string? HlaGl, string? Reason);

    public sealed record ReasonInput(string? Reason);

    public sealed record LotInput(string ProductCode, long WcbId, int Vials, string? LotNumber, DateTimeOffset? ManufacturedAt, long? BoxId, string? Reason,
        RadRegen.Bank.Model.IntendedUse? IntendedUse = null);

    public sealed record QcInput(string TestCode, string Value, string? Unit);

    public sealed record SignInput(string? Password, string? Meaning, string? Reason);

    public sealed record ReserveInput(string ReservedFor);

    public sealed record TransitionInput(string? Reason, string? Password);

    public sealed record MoveInput(long BoxId, int Row, int Column, string Reason);

    /// <param name="Confirm">Records a reading the unit cannot physically show (e.g. +200 °C on an LN2 tank) as measured.</param>
    public sealed record TemperatureInput(double Celsius, DateTimeOffset? MeasuredAt, bool? Confirm = null);

    /// <param name="Outcome">"returned to use" or "discarded".</param>
    public sealed record ExcursionResolutionInput(string? Outcome, string? Assessment, string? Password);

    public sealed record CheckCharacterResponse(string Din, int Checksum, string CheckCharacter, string Type3Flag);

    public sealed record QcResponse(QcResult Result, Deviation? Deviation);

    public sealed record ExpiryResponse(int Expired);

    public static IEndpointRouteBuilder MapBankApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/bank").RequireAuthorization().WithTags("bank");
        api.MapBankCatalogue();
        api.MapBankDonors();
        api.MapBankLines();
        api.MapBankLots();
        api.MapBankVials();
        api.MapBankStorage();
        api.MapBankTools();
        return app;
    }

    internal static LotStatus? ParseLotStatus(string? status) =>
        string.IsNullOrWhiteSpace(status) ? null
        : Enum.TryParse<LotStatus>(status, true, out var s) ? s
        : throw new DomainValidationException("status", "quarantine, released or rejected");
}
