using RadRegen.Bank.Catalogue;
using RadRegen.Bank.Identity;
using RadRegen.Bank.Model;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;

namespace RadRegen.Bank.Services;

/// <summary>A lot to make from a working cell bank, with its vials, optionally placed into a box.</summary>
/// <param name="IntendedUse">Default: the product's, or research when the line is research use only; research may be asked for any lot (ADR 0016).</param>
public sealed record CreateLotRequest(string ProductCode, long WcbId, int Vials, string? LotNumber = null, DateTimeOffset? ManufacturedAt = null,
    long? BoxId = null, IntendedUse? IntendedUse = null);

/// <summary>Where one vial of an imported lot goes: its division and, optionally, its position.</summary>
public sealed record VialPlacement(string Division, long? BoxId, int? Row, int? Column);

/// <summary>A lot with everything its page shows.</summary>
public sealed record LotDetail(Lot Lot, Product Product, IReadOnlyList<Vial> Vials, IReadOnlyList<QcResult> Results,
    IReadOnlyList<Deviation> Deviations, IReadOnlyList<ElectronicSignature> Signatures, ReleaseReadiness Readiness)
{
    /// <summary>The donor of the lot's line (consent, eligibility: ADR 0016).</summary>
    public Donor? Donor { get; init; }

    /// <summary>The lot's status now, by the one expiry rule (<see cref="Expiry"/>).</summary>
    public string StatusName { get; init; } = Lifecycle.Name(Lot.Status);

    /// <summary>Why the lot's vials cannot be labelled now, or null.</summary>
    public string? LabelBlocker { get; init; }

    /// <summary>For a lot received from another center: its receipts (source center, shipment, lineage; ADR 0031). Its release is QA's acceptance here.</summary>
    public IReadOnlyList<ReceivedLot> Received { get; init; } = [];
}

/// <summary>
/// Lots: made from a working cell bank under the next DIN of the facility, with their vials in
/// quarantine (optionally placed into a box); read with their QC, deviations and release readiness.
/// </summary>
public sealed class LotService(IUnitOfWorkFactory units, IClock clock, BankOptions options)
{
    public async Task<Lot> CreateLotAsync(Actor actor, CreateLotRequest request, string? reason = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        actor.Demand(Operation.BankLotCreate);
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var lot = await InsertLotAsync(uow, actor, request, null, reason, ct);
        await uow.CommitAsync(ct);
        return lot;
    }

    /// <summary>Creates a lot and its vials in quarantine; the DIN is the next of this facility and year unless given (import).</summary>
    internal async Task<Lot> InsertLotAsync(IUnitOfWork uow, Actor actor, CreateLotRequest request, Din? din, string? reason, CancellationToken ct,
        IReadOnlyList<VialPlacement>? placements = null)
    {
        if (request.Vials is < 1 or > Divisions.Max)
        {
            throw new DomainValidationException("vials", $"a lot has 1–{Divisions.Max} vials");
        }

        // Issue 12 item 8: the product code is echoed in errors and the reason journaled with every vial (Core.Limits).
        new InputLimits().Text("productCode", request.ProductCode, Limits.ShortName).Text("lotNumber", request.LotNumber?.Trim(), Limits.LotNumber)
            .Text("reason", reason, Limits.FreeText).ThrowIfAny();

        var store = uow.Store<IBankStore>();
        var product = await BankRules.ProductAsync(store, request.ProductCode, ct);
        var wcb = await store.FindBankAsync(request.WcbId, ct) ?? throw new NotFoundException($"no cell bank {request.WcbId}");
        if (wcb.Kind != CellBankKind.Wcb)
        {
            throw new DomainValidationException("wcbId", $"{wcb.Code} is a master cell bank; lots are made from a working cell bank");
        }

        var line = await store.FindLineAsync(wcb.LineId, ct) ?? throw new NotFoundException($"no line {wcb.LineId}");
        var donor = await BankRules.DonorAsync(store, line.DonorId, ct);
        BankRules.UsableDonor(donor, "a new lot");
        var use = LotUse(request.IntendedUse, product, line, donor);
        var now = clock.UtcNow;
        var made = request.ManufacturedAt ?? now;
        if (made > now.AddMinutes(5))
        {
            throw new DomainValidationException("manufacturedAt", "manufacture cannot be dated in the future");
        }

        if (din is null)
        {
            var year = made.UtcDateTime.Year % 100;
            var facility = Din.ValidateFacility(options.RequireFacilityCode());
            din = new Din(facility, year, await store.NextDinSequenceAsync(facility, year, ct));
        }

        var lotNumber = string.IsNullOrWhiteSpace(request.LotNumber) ? $"L{din.Value}" : request.LotNumber.Trim();

        if (await store.FindLotByNumberAsync(lotNumber, ct) is not null)
        {
            throw new ConflictException($"lot {lotNumber} exists already");
        }

        var expires = made.AddDays(product.ShelfLifeFrozenDays);
        var lot = new Lot(0, lotNumber, din.Value, product.Code, wcb.Id, line.Id, LotStatus.Quarantine, made, expires, null, null, null, null, now,
            actor.UserName) { IntendedUse = use };
        lot = lot with { Id = await store.InsertLotAsync(lot, ct) };
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("lot", lot.LotNumber, "created", new
        {
            lot.LotNumber,
            lot.Din,
            checkCharacter = din.CheckCharacter.ToString(),
            product = product.Code,
            wcb = wcb.Code,
            line = line.Code,
            donor = donor.Code,
            manufacturedAt = JournalTime.ToText(made),
            expiresAt = JournalTime.ToText(expires),
            vials = request.Vials,
            intendedUse = IntendedUses.Name(use),
        }, reason), ct);

        // A product goes only into a unit whose temperature class fits it (ADR 0017).
        foreach (var target in (placements?.Select(p => p.BoxId) ?? []).Append(request.BoxId).OfType<long>().Distinct())
        {
            await StorageService.CheckFitsAsync(store, product, target, ct);
        }

        var free = request.BoxId is { } boxId ? await StorageService.FreePositionsAsync(store, boxId, request.Vials, ct) : null;
        for (var i = 0; i < request.Vials; i++)
        {
            var vial = placements is { } given
                ? new Vial(0, lot.Id, line.Id, din.Value, product.Code, given[i].Division, VialStatus.Quarantine, given[i].BoxId, given[i].Row,
                    given[i].Column, expires, null, null)
                : new Vial(0, lot.Id, line.Id, din.Value, product.Code, Divisions.Code(i), VialStatus.Quarantine,
                    free is null ? null : request.BoxId, free?[i].Row, free?[i].Column, expires, null, null);
            vial = vial with { Id = await store.InsertVialAsync(vial, ct) };
            await store.InsertCustodyAsync(new CustodyEvent(0, vial.Id, now, actor.UserName, "created", null, Lifecycle.Name(VialStatus.Quarantine),
                null, vial.Position, reason), ct);
            await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("vial", vial.Identity, "created",
                new { identity = vial.Identity, lot = lot.LotNumber, status = "quarantine", position = vial.Position }, reason), ct);
        }

        return lot;
    }

    /// <summary>
    /// A lot's intended use (ADR 0016): the one asked for, else the product's, or research when the
    /// line is research use only. A lot for clinical use (or starting material for it) needs a
    /// clinical product or starting material as asked, a clinical line and an eligible donor;
    /// research needs the donor's consent to research.
    /// </summary>
    internal static IntendedUse LotUse(IntendedUse? asked, Product product, CellLine line, Donor donor)
    {
        var use = asked ?? (line.IntendedUse == IntendedUse.Research ? IntendedUse.Research : product.IntendedUse);
        if (use != IntendedUse.Research && use != product.IntendedUse)
        {
            throw new DomainValidationException("intendedUse",
                $"product {product.Code} ({product.Name}) is {IntendedUses.Text(product.IntendedUse)}; a lot of it is for that or for research, not {IntendedUses.Text(use)}");
        }

        if (use == IntendedUse.Research)
        {
            DonorEligibility.RequireResearchConsent(donor, "a research lot");
            return use;
        }

        if (line.IntendedUse == IntendedUse.Research)
        {
            throw new RuleViolationException($"line {line.Code} is research use only"
                + (DonorEligibility.ResearchOnlyReason(donor) is { } why ? $" ({why})" : "") + $": a lot of it cannot be for {IntendedUses.Text(use)}");
        }

        DonorEligibility.RequireClinical(donor, $"a lot of {product.Code}");
        return use;
    }

    public async Task<LotDetail> GetLotAsync(Actor actor, long lotId, CancellationToken ct = default)
    {
        BankRules.Read(actor);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        var store = uow.Store<IBankStore>();
        var lot = await store.FindLotAsync(lotId, ct) ?? throw new NotFoundException($"no lot {lotId}");
        var product = await BankRules.ProductAsync(store, lot.ProductCode, ct);
        var results = await store.ListQcResultsAsync(lot.Id, ct);
        var deviations = await store.ListDeviationsAsync(lot.Id, null, ct);
        var sigs = await uow.Store<ISignatureStore>().ListForRecordAsync("lot", lot.LotNumber, ct);
        var line = await store.FindLineAsync(lot.LineId, ct) ?? throw new NotFoundException($"no line {lot.LineId}");
        var donor = await BankRules.DonorAsync(store, line.DonorId, ct);
        var now = clock.UtcNow;
        return new LotDetail(lot, product, await store.ListVialsOfLotAsync(lot.Id, ct), results, deviations, sigs,
            ReleaseService.Readiness(lot, product, results, deviations, now, donor))
        {
            Donor = donor,
            StatusName = Expiry.LotStatusName(lot, now),
            LabelBlocker = LabelBlocker(lot, donor, now),
            Received = await uow.Store<IReceivedLotStore>().ListReceivedForLotAsync(lot.Id, ct),
        };
    }

    /// <summary>
    /// The lot with the vials that get a label: none when the lot is rejected, expired, or its donor
    /// withdrew consent (422 naming why); vials in a final state or past their expiry get none.
    /// </summary>
    public async Task<LotDetail> LabelsAsync(Actor actor, long lotId, CancellationToken ct = default)
    {
        var detail = await GetLotAsync(actor, lotId, ct);
        if (detail.LabelBlocker is { } why)
        {
            throw new RuleViolationException($"lot {detail.Lot.LotNumber} cannot be labelled: {why}");
        }

        var now = clock.UtcNow;
        return detail with { Vials = [.. detail.Vials.Where(v => !Lifecycle.IsTerminal(Expiry.VialStatusAt(v, now)))] };
    }

    /// <summary>Why a lot gets no labels: rejected, expired (one rule, <see cref="Expiry"/>), or its donor withdrew consent.</summary>
    internal static string? LabelBlocker(Lot lot, Donor donor, DateTimeOffset now) =>
        lot.Status == LotStatus.Rejected ? "the lot is rejected"
        : donor.ConsentWithdrawn ? $"donor {donor.Code} withdrew consent"
        : Expiry.LotStatusName(lot, now) == "expired" ? $"the lot expired at {JournalTime.ToText(lot.ExpiresAt)}"
        : null;

    public async Task<Lot> FindLotByNumberAsync(Actor actor, string lotNumber, CancellationToken ct = default)
    {
        BankRules.Read(actor);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await uow.Store<IBankStore>().FindLotByNumberAsync(lotNumber, ct) ?? throw new NotFoundException($"no lot {lotNumber}");
    }

    public async Task<IReadOnlyList<Lot>> ListLotsAsync(Actor actor, long? lineId = null, LotStatus? status = null, int limit = 200,
        CancellationToken ct = default)
    {
        BankRules.Read(actor);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await uow.Store<IBankStore>().ListLotsAsync(lineId, status, Math.Clamp(limit, 1, 500), ct);
    }

    /// <summary>One page of lots: search by lot number, DIN or product code, optionally of one status; sort by <see cref="BankLists.Lots"/>.</summary>
    public async Task<ListPage<Lot>> SearchLotsAsync(Actor actor, ListQuery query, LotStatus? status = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        BankRules.Read(actor);
        var order = query.Validate(BankLists.Lots);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await uow.Store<IBankStore>().SearchLotsAsync(query, status, order, ct);
    }
}
