using RadRegen.Bank.Catalogue;
using RadRegen.Bank.Model;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;

namespace RadRegen.Bank.Services;

/// <summary>What QA accepts into this bank from one lot of a shipment from another center.</summary>
/// <param name="Vials">The received vials of the lot: division and expiry as shipped.</param>
/// <param name="BoxId">The box of this center the vials are stored in (free positions, in order).</param>
/// <param name="SignatureId">QA's e-signature of the receipt inspection, taken by the caller in the same unit of work.</param>
public sealed record ReceivedLotIntake(
    LotLineage Lineage,
    IReadOnlyList<(string Division, DateTimeOffset ExpiresAt)> Vials,
    string ShipmentId,
    string FromCenter,
    IReadOnlyList<ProvenanceHandOff> Custody,
    long BoxId,
    long SignatureId);

/// <summary>
/// Vials that change owner between centers (ADR 0031). At the sending center: the lineage a lot
/// travels with, and the record that a shipped vial is now the receiving center's (so it is never
/// received, thawed or reserved here again, unless a return brings it back). At the receiving
/// center: QA's acceptance of a received lot, which makes its vials vials of this bank — a lot under
/// the source DIN, held by a line and cell banks named after the source's (<c>W0001:RR-L001</c>) and
/// a donor record that stands for the source's donor with the signed eligibility determination and
/// the HLA typing only — so that every gate of local vials applies to them unchanged.
/// </summary>
public sealed class ReceivedLotService(IClock clock, Network.StockPublisher stock)
{
    /// <summary>Between a source code and its local name: a character local codes never contain (<see cref="BankRules.CodePattern"/>).</summary>
    public const char SourceSeparator = ':';

    /// <summary>The local name of a record of the source center: <c>W0001:RR-L001</c> (source facility, separator, source code).</summary>
    private static string SourceCode(LotLineage lineage, string sourceCode)
    {
        ArgumentNullException.ThrowIfNull(lineage);
        return $"{lineage.SourceFacility}{SourceSeparator}{sourceCode}";
    }

    /// <summary>
    /// The lineage of a vial's lot as it leaves this center: for a lot made here, from the bank's
    /// records and the lot release's e-signature (which certifies the donor-eligibility
    /// determination, ADR 0016); for a lot received here, as it came, so the determination stays the
    /// source's. No donor code, name or consent date.
    /// </summary>
    public async Task<LotLineage> LineageForShipmentAsync(IUnitOfWork uow, long vialId, string center, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(uow);
        var store = uow.Store<IBankStore>();
        var lineage = await store.LineageAsync(vialId, ct) ?? throw new NotFoundException($"no vial {vialId}");
        var received = await uow.Store<IReceivedLotStore>().ListReceivedForLotAsync(lineage.Lot.Id, ct);
        if (received.Count > 0)
        {
            var first = received[0].Lineage;
            return first with { ExpiresAt = lineage.Lot.ExpiresAt, IntendedUse = lineage.Lot.IntendedUse };
        }

        var lot = lineage.Lot;
        if (lot.Status != LotStatus.Released || lot.SignatureId is not { } signatureId)
        {
            throw new RuleViolationException($"lot {lot.LotNumber} is {Lifecycle.Name(lot.Status)}; only a released lot leaves the center");
        }

        var signature = (await uow.Store<ISignatureStore>().ListForRecordAsync("lot", lot.LotNumber, ct)).FirstOrDefault(s => s.Id == signatureId)
            ?? throw new NotFoundException($"no release signature {signatureId} of lot {lot.LotNumber}");
        var donor = lineage.Donor;
        var findings = DonorEligibility.Findings(donor);
        var markers = DonorService.ScreeningMarkers.Select(m =>
            new ScreeningResult(m, donor.Screening.FirstOrDefault(s => string.Equals(s.Marker, m, StringComparison.OrdinalIgnoreCase))?.Result ?? "not recorded"))
            .ToList();
        var summary = findings.Count == 0
            ? $"eligible: {string.Join(", ", markers.Select(m => $"{m.Marker} {m.Result.ToLowerInvariant()}"))}"
            : $"not eligible for clinical use: {string.Join(", ", findings)}";
        var role = string.Join(" or ", Permissions.Of(Operation.BankLotRelease).Roles.Select(r => r.Name()));
        var facility = lot.Din.Length >= 5 ? lot.Din[..5] : center;
        return new LotLineage(lot.LotNumber, lot.Din, facility, lot.ProductCode, lot.IntendedUse, lot.ManufacturedAt, lot.ExpiresAt,
            lineage.Line.Code, lineage.Line.Method, lineage.Line.CloneName, lineage.Line.Passage, lineage.Line.IntendedUse,
            lineage.WorkingBank.Code, lineage.WorkingBank.Passage, lineage.MasterBank?.Code, lineage.MasterBank?.Passage,
            donor.HlaGl, donor.Haplotype, donor.Homozygous, donor.Consent,
            new EligibilityDetermination(findings.Count == 0 && donor.Eligible, markers, summary, DonorEligibility.Rule, signature.Meaning, signature.SignedAt,
                role, center));
    }

    /// <summary>Records, at the sending center, that a shipped vial now belongs to <paramref name="toCenter"/> (inside the dispatch's unit of work).</summary>
    public async Task RecordTransferOutAsync(IUnitOfWork uow, long vialId, string shipmentId, string toCenter, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(uow);
        var transfers = uow.Store<IReceivedLotStore>();
        if (await transfers.FindTransferOutAsync(vialId, ct) is { ReturnedAt: null } open)
        {
            throw new ConflictException($"vial {vialId} was already shipped to {open.ToCenter} in shipment {open.ShipmentId}");
        }

        await transfers.InsertTransferOutAsync(new VialTransferOut(vialId, shipmentId, toCenter, clock.UtcNow, null, null), ct);
    }

    /// <summary>
    /// QA accepts a received lot into this bank (the caller took the e-signature): the product must be
    /// in this center's catalogue and fit the box's temperature class; the vials are written released,
    /// in the box, with a custody event for each hand-off of the shipment and one for the receipt; the
    /// lot is released by that signature; the received-lot record keeps the source, the lineage and the
    /// custody. A lot already received from the same source lot in an earlier shipment gets the new vials.
    /// </summary>
    public async Task<(Lot Lot, IReadOnlyList<Vial> Vials)> AcceptInAsync(IUnitOfWork uow, Actor actor, ReceivedLotIntake intake, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(uow);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(intake);
        actor.Demand(Operation.BankLotRelease);
        if (intake.Vials.Count == 0)
        {
            throw new DomainValidationException("vials", $"no vial of lot {intake.Lineage.LotNumber} was received");
        }

        var store = uow.Store<IBankStore>();
        var received = uow.Store<IReceivedLotStore>();
        var l = intake.Lineage;
        var now = clock.UtcNow;
        var product = await store.FindProductAsync(l.ProductCode, ct)
            ?? throw new RuleViolationException($"product {l.ProductCode} of lot {l.LotNumber} is not in this center's catalogue; add it before accepting the lot");
        if (!product.Storage.Frozen)
        {
            throw new RuleViolationException($"product {product.Code} is stored {product.Storage.Name} here; a received cryopreserved lot needs a frozen product");
        }

        await StorageService.CheckFitsAsync(store, product, intake.BoxId, ct);

        // Clinical only if the source lot was clinical and this center's catalogue has the product for clinical use (ADR 0016).
        var use = l.IntendedUse == IntendedUse.Clinical && product.IntendedUse != IntendedUse.Clinical ? product.IntendedUse : l.IntendedUse;
        var lineUse = l.LineIntendedUse == IntendedUse.Clinical && l.Eligibility.Eligible ? IntendedUse.Clinical : IntendedUse.Research;
        if (lineUse == IntendedUse.Research && use == IntendedUse.Clinical)
        {
            use = IntendedUse.Research;
        }

        var donor = await DonorStandInAsync(store, actor, l, now, ct);
        var line = await LineAsync(store, uow, actor, l, donor, lineUse, now, ct);
        var wcb = await CellBanksAsync(store, actor, l, line, now, ct);

        var lot = await store.FindLotByNumberAsync(l.LotNumber, ct);
        if (lot is null)
        {
            lot = new Lot(0, l.LotNumber, l.Din, product.Code, wcb.Id, line.Id, LotStatus.Released, l.ManufacturedAt, l.ExpiresAt, null, now,
                actor.UserName, intake.SignatureId, now, actor.UserName) { IntendedUse = use };
            lot = lot with { Id = await store.InsertLotAsync(lot, ct) };
            await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("lot", lot.LotNumber, "received-into-inventory", new
            {
                lot.LotNumber,
                lot.Din,
                product = product.Code,
                from = intake.FromCenter,
                shipment = intake.ShipmentId,
                sourceFacility = l.SourceFacility,
                line = line.Code,
                wcb = wcb.Code,
                intendedUse = IntendedUses.Name(use),
                eligibility = l.Eligibility.Summary,
                signatureId = intake.SignatureId,
            }, $"received from center {intake.FromCenter}, shipment {intake.ShipmentId}"), ct);
        }
        else
        {
            var earlier = await received.ListReceivedForLotAsync(lot.Id, ct);
            if (earlier.Count == 0 || earlier[0].Lineage.Din != l.Din || lot.Din != l.Din)
            {
                throw new ConflictException($"lot {l.LotNumber} exists in this bank and is not the lot {l.Din} received from {intake.FromCenter}");
            }
        }

        if (lot.Status != LotStatus.Released)
        {
            throw new RuleViolationException($"lot {lot.LotNumber} is {Lifecycle.Name(lot.Status)} in this bank; no vial of it is accepted");
        }

        var free = await StorageService.FreePositionsAsync(store, intake.BoxId, intake.Vials.Count, ct);
        var vials = new List<Vial>();
        var origin = $"received from center {intake.FromCenter}, shipment {intake.ShipmentId}";
        foreach (var ((division, expires), i) in intake.Vials.Select((v, i) => (v, i)))
        {
            if (await store.FindVialByIdentityAsync(l.Din, product.Code, division, ct) is { } existing)
            {
                throw new ConflictException($"vial {existing.Identity} is already in this bank ({Lifecycle.Name(existing.Status)}); "
                    + "a vial that comes back to the center that shipped it returns in a return shipment");
            }

            var vial = new Vial(0, lot.Id, line.Id, l.Din, product.Code, division, VialStatus.Released, intake.BoxId, free[i].Row, free[i].Column,
                expires < lot.ExpiresAt ? expires : lot.ExpiresAt, null, null);
            vial = vial with { Id = await store.InsertVialAsync(vial, ct) };
            foreach (var h in intake.Custody)
            {
                await store.InsertCustodyAsync(new CustodyEvent(0, vial.Id, h.At, $"{h.SignedBy}@{h.Center}", "hand-off", null, Lifecycle.Name(VialStatus.Shipped),
                    null, null, $"{h.From} → {h.To} (e-signature {h.SignatureId} at {h.Center}){(h.Note is null ? "" : "; " + h.Note)}"), ct);
            }

            await store.InsertCustodyAsync(new CustodyEvent(0, vial.Id, now, actor.UserName, "received-into-inventory", Lifecycle.Name(VialStatus.Shipped),
                Lifecycle.Name(VialStatus.Released), null, vial.Position, origin), ct);
            await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("vial", vial.Identity, "received-into-inventory",
                new { identity = vial.Identity, lot = lot.LotNumber, status = "released", position = vial.Position, from = intake.FromCenter, shipment = intake.ShipmentId },
                origin), ct);
            vials.Add(vial);
        }

        await received.InsertReceivedAsync(new ReceivedLot(0, lot.Id, intake.ShipmentId, intake.FromCenter, l, [.. intake.Vials.Select(v => v.Division)],
            intake.Custody, now, actor.UserName, intake.SignatureId), ct);

        // Released stock of this center now: the network learns it in this transaction (ADR 0023).
        await stock.PublishLotAsync(uow, lot.Id, ct);
        return (lot, vials);
    }

    /// <summary>
    /// The donor record that stands for the source's donor of one line: a code naming the source
    /// facility and line (never the donor), the consent scopes the source attested, the marker
    /// results and determination it signed, and the HLA typing matching needs.
    /// </summary>
    private static async Task<Donor> DonorStandInAsync(IBankStore store, Actor actor, LotLineage l, DateTimeOffset now, CancellationToken ct)
    {
        var code = SourceCode(l, l.LineCode);
        if (await store.FindDonorByCodeAsync(code, ct) is { } known)
        {
            return known;
        }

        var donor = new Donor(0, code, l.Consent, l.Eligibility.SignedAt, null, null, l.Eligibility.Markers, l.Eligibility.Eligible, l.HlaGl, l.Homozygous,
            l.Haplotype, now, actor.UserName);
        return donor with { Id = await store.InsertDonorAsync(donor, ct) };
    }

    private static async Task<CellLine> LineAsync(IBankStore store, IUnitOfWork uow, Actor actor, LotLineage l, Donor donor, IntendedUse use,
        DateTimeOffset now, CancellationToken ct)
    {
        var code = SourceCode(l, l.LineCode);
        if (await store.FindLineByCodeAsync(code, ct) is { } known)
        {
            return known;
        }

        var line = new CellLine(0, code, donor.Id, l.LineMethod, l.CloneName, l.LinePassage, null, now, actor.UserName) { IntendedUse = use };
        line = line with { Id = await store.InsertLineAsync(line, ct) };
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("line", line.Code, "received-lineage",
            new { line.Code, sourceFacility = l.SourceFacility, sourceLine = l.LineCode, intendedUse = IntendedUses.Name(use), eligibility = l.Eligibility.Summary }), ct);
        return line;
    }

    private static async Task<CellBank> CellBanksAsync(IBankStore store, Actor actor, LotLineage l, CellLine line, DateTimeOffset now, CancellationToken ct)
    {
        long? mcbId = null;
        if (l.McbCode is { } mcbCode)
        {
            var code = SourceCode(l, mcbCode);
            var mcb = await store.FindBankByCodeAsync(code, ct);
            mcbId = mcb?.Id ?? await store.InsertBankAsync(new CellBank(0, code, CellBankKind.Mcb, line.Id, null, l.McbPassage ?? 0, 0, now, actor.UserName), ct);
        }

        var wcbCode = SourceCode(l, l.WcbCode);
        if (await store.FindBankByCodeAsync(wcbCode, ct) is { } wcb)
        {
            return wcb;
        }

        var fresh = new CellBank(0, wcbCode, CellBankKind.Wcb, line.Id, mcbId, l.WcbPassage, 0, now, actor.UserName);
        return fresh with { Id = await store.InsertBankAsync(fresh, ct) };
    }

    /// <summary>
    /// A vial of this bank that came back in a return shipment, accepted by QA: shipped → released in
    /// a box of this center (the one way back from shipped, and only for a vial this bank shipped to
    /// another center and that center sent back unopened; the lifecycle has no other).
    /// </summary>
    public async Task<Vial> ReturnToStockInAsync(IUnitOfWork uow, Actor actor, long vialId, long boxId, string returnShipmentId, string reason,
        CancellationToken ct)
    {
        var (store, vial) = await ReturnedVialAsync(uow, actor, vialId, ct);
        var product = await BankRules.ProductAsync(store, vial.ProductCode, ct);
        await StorageService.CheckFitsAsync(store, product, boxId, ct);
        var free = await StorageService.FreePositionsAsync(store, boxId, 1, ct);
        var now = clock.UtcNow;
        var lot = await store.FindLotAsync(vial.LotId, ct) ?? throw new NotFoundException($"no lot {vial.LotId}");
        if (lot.Status != LotStatus.Released)
        {
            throw new RuleViolationException($"lot {lot.LotNumber} is {Lifecycle.Name(lot.Status)}; its vials do not return to stock");
        }

        var back = vial with { Status = VialStatus.Released, BoxId = boxId, Row = free[0].Row, Column = free[0].Column, ReservedFor = null };
        await VialService.WriteTransitionAsync(uow, actor, vial, back, "returned-to-stock", $"return shipment {returnShipmentId}: {reason}", now, ct);
        await uow.Store<IReceivedLotStore>().MarkReturnedAsync(vial.Id, returnShipmentId, now, ct);
        await stock.PublishLotAsync(uow, vial.LotId, ct);
        return back with { Version = vial.Version + 1 };
    }

    /// <summary>A vial of this bank that came back in a return shipment and QA discards (shipped → discarded; the caller took the e-signature).</summary>
    public async Task<Vial> DiscardReturnedInAsync(IUnitOfWork uow, Actor actor, long vialId, string returnShipmentId, string reason, CancellationToken ct)
    {
        var (_, vial) = await ReturnedVialAsync(uow, actor, vialId, ct);
        var now = clock.UtcNow;
        var gone = vial with { Status = VialStatus.Discarded, ReservedFor = null };
        await VialService.WriteTransitionAsync(uow, actor, vial, gone, "discarded", $"return shipment {returnShipmentId}: {reason}", now, ct);
        await uow.Store<IReceivedLotStore>().MarkReturnedAsync(vial.Id, returnShipmentId, now, ct);
        return gone with { Version = vial.Version + 1 };
    }

    private static async Task<(IBankStore Store, Vial Vial)> ReturnedVialAsync(IUnitOfWork uow, Actor actor, long vialId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(uow);
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.BankLotRelease);
        var store = uow.Store<IBankStore>();
        var vial = await store.FindVialAsync(vialId, ct) ?? throw new NotFoundException($"no vial {vialId}");
        if (vial.Status != VialStatus.Shipped || await uow.Store<IReceivedLotStore>().FindTransferOutAsync(vialId, ct) is not { ReturnedAt: null })
        {
            throw new RuleViolationException($"vial {vial.Identity} is {Lifecycle.Name(vial.Status)} and was not shipped to another center; it does not come back in a return");
        }

        return (store, vial);
    }

    /// <summary>The receipts of the vial's lot that brought this vial (its provenance), or none for a vial made here.</summary>
    public static async Task<ReceivedLot?> ProvenanceAsync(IUnitOfWork uow, Vial vial, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(uow);
        ArgumentNullException.ThrowIfNull(vial);
        var receipts = await uow.Store<IReceivedLotStore>().ListReceivedForLotAsync(vial.LotId, ct);
        return receipts.LastOrDefault(r => r.Divisions.Contains(vial.Division));
    }
}
