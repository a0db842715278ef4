using System.Globalization;
using RadRegen.Bank.Catalogue;
using RadRegen.Bank.Model;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;

namespace RadRegen.Bank.Services;

/// <summary>Whether a lot can be released, and what stands in the way.</summary>
public sealed record ReleaseReadiness(bool Ready, IReadOnlyList<string> Blockers, IReadOnlyList<string> Recorders);

/// <summary>
/// Quality control and release: QC results against the product's specification (out of
/// specification opens a deviation), deviations closed by QA, and the QA officer's release or
/// rejection of a lot with an e-signature (four eyes: never by someone who recorded its results).
/// </summary>
public sealed class ReleaseService(IUnitOfWorkFactory units, IClock clock, SignatureService signatures, Network.StockPublisher stock)
{
    /// <summary>Records a QC result against the lot's specification; out of specification opens a deviation.</summary>
    public async Task<(QcResult Result, Deviation? Deviation)> RecordQcResultAsync(Actor actor, long lotId, string testCode, string value, string? unit,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.BankQcRecord);
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var result = await InsertQcResultAsync(uow, actor, lotId, testCode, value, unit, ct);
        await uow.CommitAsync(ct);
        return result;
    }

    internal async Task<(QcResult, Deviation?)> InsertQcResultAsync(IUnitOfWork uow, Actor actor, long lotId, string testCode, string value,
        string? unit, CancellationToken ct)
    {
        // Issue 12 item 8: a result's texts are short names (Core.Limits); the value also by QcEvaluator's own rule.
        new InputLimits().Text("testCode", testCode, Limits.ShortName).Text("value", value, Limits.ShortName).Text("unit", unit, Limits.ShortName)
            .ThrowIfAny();
        var store = uow.Store<IBankStore>();
        var lot = await store.FindLotAsync(lotId, ct) ?? throw new NotFoundException($"no lot {lotId}");
        var product = await BankRules.ProductAsync(store, lot.ProductCode, ct);
        var test = product.Test(testCode);
        var evaluation = QcEvaluator.Evaluate(test, value, unit);
        if (lot.Status != LotStatus.Quarantine)
        {
            throw new RuleViolationException($"lot {lot.LotNumber} is {Lifecycle.Name(lot.Status)}; QC results are recorded while it is in quarantine");
        }

        var now = clock.UtcNow;
        var result = new QcResult(0, lot.Id, test.Code, evaluation.Value, evaluation.Unit, evaluation.Passed, now, actor.UserName);
        result = result with { Id = await store.InsertQcResultAsync(result, ct) };
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("lot", lot.LotNumber, "qc-recorded", new
        {
            test = test.Code,
            kind = test.Kind.ToString().ToLowerInvariant(),
            value = result.Value,
            unit = result.Unit,
            criterion = test.Criterion.ToString(),
            outcome = result.Passed ? "pass" : "out of specification",
        }), ct);
        Deviation? deviation = null;
        if (!result.Passed)
        {
            deviation = new Deviation(0, lot.Id, result.Id, test.Code,
                $"{test.Name}: {result.Value}{(result.Unit is null ? "" : " " + result.Unit)} is outside {test.Criterion} ({test.Kind.ToString().ToLowerInvariant()} test)",
                DeviationStatus.Open, now, actor.UserName, null, null, null);
            deviation = deviation with { Id = await store.InsertDeviationAsync(deviation, ct) };
            await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("deviation", deviation.Id.ToString(CultureInfo.InvariantCulture), "opened",
                new { lot = lot.LotNumber, test = test.Code, deviation.Description }), ct);
        }

        return (result, deviation);
    }

    /// <summary>QA closes a deviation with its conclusion (which is journaled).</summary>
    public async Task<Deviation> CloseDeviationAsync(Actor actor, long deviationId, string closure, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.BankDeviationClose);
        BankRules.RequireReason(closure);
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<IBankStore>();
        var d = await store.FindDeviationAsync(deviationId, ct) ?? throw new NotFoundException($"no deviation {deviationId}");
        if (d.Status == DeviationStatus.Closed)
        {
            throw new RuleViolationException($"deviation {d.Id} is closed already");
        }

        var closed = d with { Status = DeviationStatus.Closed, ClosedAt = clock.UtcNow, ClosedBy = actor.UserName, Closure = closure.Trim() };
        if (!await store.UpdateDeviationAsync(closed, d.Version, ct))
        {
            throw new ConflictException($"deviation {d.Id} was changed by someone else");
        }

        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("deviation", d.Id.ToString(CultureInfo.InvariantCulture), "closed",
            new { d.TestCode, closure = closed.Closure }, closed.Closure), ct);
        await uow.CommitAsync(ct);
        return closed with { Version = d.Version + 1 };
    }

    public async Task<IReadOnlyList<Deviation>> ListDeviationsAsync(Actor actor, DeviationStatus? status, CancellationToken ct = default)
    {
        BankRules.Read(actor);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await uow.Store<IBankStore>().ListDeviationsAsync(null, status, ct);
    }

    /// <summary>What blocks release: a release test without a passing latest result, an open deviation, a flag, expiry.</summary>
    public static ReleaseReadiness Readiness(Lot lot, Product product, IReadOnlyList<QcResult> results, IReadOnlyList<Deviation> deviations,
        DateTimeOffset now, Donor? donor = null)
    {
        ArgumentNullException.ThrowIfNull(lot);
        ArgumentNullException.ThrowIfNull(product);
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(deviations);
        var blockers = new List<string>();
        if (lot.Status != LotStatus.Quarantine)
        {
            blockers.Add($"the lot is {Lifecycle.Name(lot.Status)}");
        }

        foreach (var test in product.ReleaseTests)
        {
            var latest = results.Where(r => string.Equals(r.TestCode, test.Code, StringComparison.OrdinalIgnoreCase))
                .OrderBy(r => r.RecordedAt).ThenBy(r => r.Id).LastOrDefault();
            if (latest is null)
            {
                blockers.Add($"no result for release test {test.Name}");
            }
            else if (!latest.Passed)
            {
                blockers.Add($"release test {test.Name} is out of specification ({latest.Value}{(latest.Unit is null ? "" : " " + latest.Unit)})");
            }
        }

        foreach (var d in deviations.Where(d => d.Status == DeviationStatus.Open))
        {
            blockers.Add($"deviation {d.Id} is open: {d.Description}");
        }

        if (lot.Flag is not null)
        {
            blockers.Add($"the lot is flagged: {lot.Flag}");
        }

        if (Expiry.IsExpired(lot.ExpiresAt, now))
        {
            blockers.Add("the lot has expired");
        }

        if (donor is not null && donor.ConsentWithdrawn)
        {
            blockers.Add($"donor {donor.Code} withdrew consent: the lot cannot be released or labelled");
        }
        else if (donor is not null && lot.IntendedUse != IntendedUse.Research && DonorEligibility.Findings(donor) is { Count: > 0 } findings)
        {
            blockers.Add($"donor {donor.Code} ({string.Join(", ", findings)}) is not eligible for {IntendedUses.Text(lot.IntendedUse)}: {DonorEligibility.Rule}");
        }

        return new ReleaseReadiness(blockers.Count == 0, blockers, [.. results.Select(r => r.RecordedBy).Distinct(StringComparer.Ordinal)]);
    }

    /// <summary>
    /// QA releases the lot with an e-signature: only when every release test passes and no
    /// deviation is open, never by anyone who recorded its results. Its quarantine vials become
    /// released; signature, lot and vials commit together.
    /// </summary>
    public async Task<Lot> ReleaseLotAsync(Actor actor, long lotId, string password, string meaning = "released", int? expectedVersion = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.BankLotRelease);
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<IBankStore>();
        var lot = await store.FindLotAsync(lotId, ct) ?? throw new NotFoundException($"no lot {lotId}");
        if (expectedVersion is { } ev && ev != lot.Version)
        {
            throw new ConflictException($"lot {lot.LotNumber} changed since you read it (version {lot.Version}, not {ev})");
        }

        var product = await BankRules.ProductAsync(store, lot.ProductCode, ct);
        var results = await store.ListQcResultsAsync(lot.Id, ct);
        var now = clock.UtcNow;
        var line = await store.FindLineAsync(lot.LineId, ct) ?? throw new NotFoundException($"no line {lot.LineId}");
        var donor = await BankRules.DonorAsync(store, line.DonorId, ct);
        var readiness = Readiness(lot, product, results, await store.ListDeviationsAsync(lot.Id, null, ct), now, donor);
        if (readiness.Recorders.Contains(actor.UserName, StringComparer.Ordinal))
        {
            throw new ForbiddenException($"{actor.UserName} recorded QC results of lot {lot.LotNumber} and cannot also release it (four-eyes principle)");
        }

        if (!readiness.Ready)
        {
            throw new RuleViolationException($"lot {lot.LotNumber} cannot be released: {string.Join("; ", readiness.Blockers)}");
        }

        BankRules.UsableDonor(donor, "a release");
        var content = new
        {
            lot.LotNumber,
            lot.Din,
            lot.ProductCode,
            expiresAt = JournalTime.ToText(lot.ExpiresAt),
            results = results.OrderBy(r => r.Id).Select(r => new { r.TestCode, r.Value, r.Unit, r.Passed, r.RecordedBy }),
        };
        var signature = await signatures.SignAsync(uow, actor, new SignatureIntent("lot", lot.LotNumber, meaning, content), password, ct);
        var released = lot with { Status = LotStatus.Released, ReleasedAt = now, ReleasedBy = actor.UserName, SignatureId = signature.Id };
        if (!await store.UpdateLotAsync(released, lot.Version, ct))
        {
            throw new ConflictException($"lot {lot.LotNumber} was changed by someone else");
        }

        var vials = await store.ListVialsOfLotAsync(lot.Id, ct);
        var count = 0;
        foreach (var v in vials.Where(v => v.Status == VialStatus.Quarantine))
        {
            await VialService.WriteTransitionAsync(uow, actor, v, v with { Status = VialStatus.Released }, "released", $"lot released by {actor.UserName}", now, ct);
            count++;
        }

        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("lot", lot.LotNumber, "released",
            new { lot.LotNumber, signature = signature.Id, recordHash = signature.RecordHash, vials = count }, meaning), ct);
        await stock.PublishLotAsync(uow, lot.Id, ct);
        await uow.CommitAsync(ct);
        return released with { Version = lot.Version + 1 };
    }

    /// <summary>QA rejects a lot: it will never be released; its vials are discarded.</summary>
    public async Task<Lot> RejectLotAsync(Actor actor, long lotId, string password, string reason, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.BankLotReject);
        BankRules.RequireReason(reason);
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<IBankStore>();
        var lot = await store.FindLotAsync(lotId, ct) ?? throw new NotFoundException($"no lot {lotId}");
        if (lot.Status != LotStatus.Quarantine)
        {
            throw new RuleViolationException($"lot {lot.LotNumber} is {Lifecycle.Name(lot.Status)}; only a lot in quarantine can be rejected");
        }

        await signatures.SignAsync(uow, actor, new SignatureIntent("lot", lot.LotNumber, "rejected", new { lot.LotNumber, lot.Din, reason }), password, ct);
        var rejected = lot with { Status = LotStatus.Rejected };
        if (!await store.UpdateLotAsync(rejected, lot.Version, ct))
        {
            throw new ConflictException($"lot {lot.LotNumber} was changed by someone else");
        }

        var now = clock.UtcNow;
        foreach (var v in (await store.ListVialsOfLotAsync(lot.Id, ct)).Where(v => !Lifecycle.IsTerminal(v.Status)))
        {
            await VialService.WriteTransitionAsync(uow, actor, v, v with { Status = VialStatus.Discarded, BoxId = null, Row = null, Column = null }, "discarded",
                $"lot rejected: {reason.Trim()}", now, ct);
        }

        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("lot", lot.LotNumber, "rejected", new { lot.LotNumber }, reason.Trim()), ct);
        await uow.CommitAsync(ct);
        return rejected with { Version = lot.Version + 1 };
    }
}
