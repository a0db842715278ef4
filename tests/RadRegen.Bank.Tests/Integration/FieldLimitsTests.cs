using RadRegen.Bank.Catalogue;
using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Core;
using RadRegen.Testing;

namespace RadRegen.Bank.Tests.Integration;

/// <summary>
/// Issue 12 item 8 in the bank: every text field and list of lines, cell banks, lots, QC results,
/// deviations, storage, excursions, vials, donors and the catalogue is held to its named limit
/// (Core.Limits) in the service, so the API, the CLI, the pages and the inventory import share it.
/// Each refusal names the field and the limit, and nothing is written. One bank (SQLite) for the
/// class: every case is refused, so none disturbs another.
/// </summary>
[Trait("Kind", "Integration")]
public class FieldLimitsTests(SharedBankWorlds worlds) : IClassFixture<SharedBankWorlds>
{
    private const long Missing = 999_999; // limits are checked before the record is looked up

    private static string Text(int length) => new('x', length);

    private static readonly string Short = Text(201);

    private static readonly string Free = Text(4_001);

    /// <summary>Case name, the field the refusal must name.</summary>
    public static TheoryData<string, string> Cases => new()
    {
        { "line method", "method" },
        { "line clone", "clone" },
        { "line reason", "reason" },
        { "cell bank reason", "reason" },
        { "lot product code", "productCode" },
        { "lot number", "lotNumber" },
        { "lot reason", "reason" },
        { "QC test code", "testCode" },
        { "QC value", "value" },
        { "QC unit", "unit" },
        { "deviation closure", "reason" },
        { "lot rejection reason", "reason" },
        { "location name", "name" },
        { "excursion outcome", "outcome" },
        { "excursion assessment", "assessment" },
        { "reserved for", "reservedFor" },
        { "cancel reason", "reason" },
        { "ship destination", "reason" },
        { "receive note", "reason" },
        { "thaw reason", "reason" },
        { "administered to", "reason" },
        { "discard reason", "reason" },
        { "move reason", "reason" },
        { "find vial DIN", "din" },
        { "screening marker", "screening" },
        { "screening result", "screening result" },
        { "consent withdrawal reason", "reason" },
        { "product test name", "specification[0].name" },
        { "product test method", "specification[0].method" },
        { "product vocabulary word", "specification[0].criterion.vocabulary[1]" },
        { "product specification of 101 tests", "specification" },
        { "product storage source", "storageSource" },
        { "product change reason", "reason" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_text_or_list_over_its_limit_is_refused_naming_the_field_and_nothing_is_written(string name, string field)
    {
        var w = await worlds.ForAsync("sqlite");
        var b = w.Bank;
        var seed = SeedCatalogue.Products.First(p => p.Code == "S9102");
        var test = seed.Specification[0];
        Func<Task> act = name switch
        {
            "line method" => () => b.CreateLineAsync(w.Tech, new CreateLineRequest("RR-LIM1", w.Donor.Id, Short, "clone 1", 1)),
            "line clone" => () => b.CreateLineAsync(w.Tech, new CreateLineRequest("RR-LIM1", w.Donor.Id, "episomal", Short, 1)),
            "line reason" => () => b.CreateLineAsync(w.Tech, new CreateLineRequest("RR-LIM1", w.Donor.Id, "episomal", "clone 1", 1), Free),
            "cell bank reason" => () => b.CreateBankAsync(w.Tech, new CreateBankRequest("RR-LIM-MCB", CellBankKind.Mcb, w.Line.Id, null, 1, 10), Free),
            "lot product code" => () => b.CreateLotAsync(w.Tech, new CreateLotRequest(Short, w.Wcb.Id, 1)),
            "lot number" => () => b.CreateLotAsync(w.Tech, new CreateLotRequest("S9102", w.Wcb.Id, 1, LotNumber: Text(41))),
            "lot reason" => () => b.CreateLotAsync(w.Tech, new CreateLotRequest("S9102", w.Wcb.Id, 1), Free),
            "QC test code" => () => b.RecordQcResultAsync(w.Tech, Missing, Short, "92", "%"),
            "QC value" => () => b.RecordQcResultAsync(w.Tech, Missing, "viability", Short, "%"),
            "QC unit" => () => b.RecordQcResultAsync(w.Tech, Missing, "viability", "92", Short),
            "deviation closure" => () => b.CloseDeviationAsync(w.Qa, Missing, Free),
            "lot rejection reason" => () => b.RejectLotAsync(w.Qa, Missing, BankWorld.Password, Free),
            "location name" => () => b.CreateLocationAsync(w.Tech, new CreateLocationRequest(null, LocationKind.Site, Short)),
            "excursion outcome" => () => b.ResolveExcursionAsync(w.Qa, Missing, Short, "assessed", BankWorld.Password),
            "excursion assessment" => () => b.ResolveExcursionAsync(w.Qa, Missing, "discarded", Free, BankWorld.Password),
            "reserved for" => () => b.ReserveAsync(w.Tech, Missing, Short),
            "cancel reason" => () => b.CancelReservationAsync(w.Tech, Missing, Free),
            "ship destination" => () => b.ShipAsync(w.Tech, Missing, Free),
            "receive note" => () => b.ReceiveAsync(w.Tech, Missing, Free),
            "thaw reason" => () => b.ThawAsync(w.Tech, Missing, Free),
            "administered to" => () => b.AdministerAsync(w.Physician, Missing, Free, BankWorld.Password),
            "discard reason" => () => b.DiscardAsync(w.Tech, Missing, Free, BankWorld.Password),
            "move reason" => () => b.MoveAsync(w.Tech, Missing, w.Box.Id, 1, 1, Free),
            "find vial DIN" => () => b.FindVialAsync(w.Tech, Short, "S9102", "A0"),
            "screening marker" => () => b.RegisterDonorAsync(w.Tech, BankWorld.Eligible("D-LIM0001") with { Screening = [new ScreeningResult(Short, "negative")] }),
            "screening result" => () => b.RegisterDonorAsync(w.Tech, BankWorld.Eligible("D-LIM0001") with { Screening = [new ScreeningResult("HBV", Short)] }),
            "consent withdrawal reason" => () => b.WithdrawConsentAsync(w.Tech, w.Donor.Id, Free),
            "product test name" => () => b.SaveProductAsync(w.Qa, seed with { Code = "S9901", Specification = [test with { Name = Short }, .. seed.Specification.Skip(1)] }, null, null),
            "product test method" => () => b.SaveProductAsync(w.Qa, seed with { Code = "S9901", Specification = [test with { Method = Short }, .. seed.Specification.Skip(1)] }, null, null),
            "product vocabulary word" => () => b.SaveProductAsync(w.Qa, seed with
            {
                Code = "S9901",
                Specification = [test with { Criterion = QcCriterion.Is("negative", Short) }, .. seed.Specification.Skip(1)],
            }, null, null),
            "product specification of 101 tests" => () => b.SaveProductAsync(w.Qa, seed with
            {
                Code = "S9901",
                Specification = [.. seed.Specification, .. Enumerable.Range(0, 101).Select(i => test with { Code = "t" + i })],
            }, null, null),
            "product storage source" => () => b.SaveProductAsync(w.Qa, seed with { Code = "S9901", StorageSource = Text(501) }, null, null),
            "product change reason" => () => b.SaveProductAsync(w.Qa, seed with { Code = "S9901" }, null, Free),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such case"),
        };

        var before = await w.JournalCountAsync();
        var ex = await Assert.ThrowsAsync<DomainValidationException>(act);
        var error = Assert.Single(ex.Errors, e => e.Field == field);
        Assert.Contains("at most", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await w.JournalCountAsync());
    }

    [Fact]
    public async Task Texts_at_their_limits_are_accepted()
    {
        var w = await worlds.ForAsync("sqlite");
        var line = await w.Bank.CreateLineAsync(w.Tech, new CreateLineRequest("RR-LIMOK", w.Donor.Id, Text(200), Text(200), 1), Text(4_000));
        Assert.Equal(200, line.Method.Length);
        var site = await w.Bank.CreateLocationAsync(w.Tech, new CreateLocationRequest(null, LocationKind.Site, Text(200)));
        Assert.Equal(200, site.Name.Length); // 60 before issue 12 item 8: a location's name is a short name now
        var lot = await w.Bank.CreateLotAsync(w.Tech, new CreateLotRequest("S9102", w.Wcb.Id, 1, LotNumber: Text(40)), Text(4_000));
        Assert.Equal(40, lot.LotNumber.Length);
    }
}
