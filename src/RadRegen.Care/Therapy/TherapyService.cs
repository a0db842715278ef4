using System.Globalization;
using RadRegen.Bank;
using RadRegen.Bank.Catalogue;
using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Care.Allocation;
using RadRegen.Care.Records;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;

namespace RadRegen.Care.Therapy;

/// <summary>
/// Therapy for one patient: a request for a product, the ranked compatible vials, the atomic
/// reservation, dispatch to the treating center, receipt, administration with the physician's
/// e-signature, and follow-up. Each step writes the request, the bank's vials (through
/// <see cref="BankService"/>'s in-transaction transitions: custody events and the vials' journal
/// entries) and the request's journal entry in one unit of work: all or nothing.
/// </summary>
public sealed class TherapyService(IUnitOfWorkFactory units, IClock clock, BankService bank, SignatureService signatures, ICompatibility compatibility)
{
    /// <summary>The most vials one request may need; more means a dose typed in the wrong unit.</summary>
    public const int MaxVialsPerRequest = 200;

    public async Task<TherapyRequest> RequestAsync(Actor actor, long patientId, NewTherapyRequest input, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(input);
        actor.Demand(Operation.CareTherapyRequest);
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var patient = await uow.Store<ICareStore>().GetPatientAsync(patientId, ct) ?? throw new NotFoundException($"no patient {patientId}");
        // Issue 12 item 8: the product code and treating center are short names, the note free text (Core.Limits;
        // the center 100 and the note 1,000 before). Checked first: a 10,000-character code is not looked up or echoed.
        new InputLimits().Text("productCode", input.ProductCode, Limits.ShortName)
            .Text("treatingCenter", input.TreatingCenter, Limits.ShortName).Text("note", input.Note, Limits.FreeText).ThrowIfAny();
        var errors = new List<FieldError>();
        Product? product = null;
        if (string.IsNullOrWhiteSpace(input.ProductCode))
        {
            errors.Add(new("productCode", "name the product type (a catalogue code such as S9102)"));
        }
        else
        {
            product = await uow.Store<IBankStore>().FindProductAsync(input.ProductCode.Trim().ToUpperInvariant(), ct);
            if (product is null)
            {
                var codes = (await uow.Store<IBankStore>().ListProductsAsync(ct)).Select(p => p.Code);
                errors.Add(new("productCode", $"'{input.ProductCode}' is not a product type of the catalogue ({string.Join(", ", codes)})"));
            }
            else if (product.IntendedUse != IntendedUse.Clinical)
            {
                errors.Add(new("productCode", NotClinical(product, "requested")));
                product = null;
            }
        }

        if (!(input.Dose > 0) || double.IsInfinity(input.Dose))
        {
            errors.Add(new("dose", "a dose above 0, in the product's dose unit"));
        }

        Urgency urgency = Urgency.Urgent;
        try
        {
            urgency = TherapyNames.Parse<Urgency>(input.Urgency, "urgency");
        }
        catch (DomainValidationException ex)
        {
            errors.AddRange(ex.Errors);
        }

        if (string.IsNullOrWhiteSpace(input.TreatingCenter))
        {
            errors.Add(new("treatingCenter", "name the treating center"));
        }

        var vials = 0;
        if (product is not null && input.Dose > 0 && !double.IsInfinity(input.Dose))
        {
            vials = product.VialsFor(input.Dose, patient.WeightKg);
            if (vials > MaxVialsPerRequest)
            {
                errors.Add(new("dose", $"{input.Dose.ToString(CultureInfo.InvariantCulture)} {product.DoseUnit} needs {vials} vials for "
                    + $"{patient.WeightKg.ToString(CultureInfo.InvariantCulture)} kg (more than {MaxVialsPerRequest}); check the dose and its unit"));
            }
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        var now = clock.UtcNow;
        var request = new TherapyRequest(0, patient.IncidentId, patient.Id, product!.Code, input.Dose, product.DoseUnit,
            product.DosedPerKg ? input.Dose * patient.WeightKg : input.Dose, vials, urgency, input.TreatingCenter!.Trim(), TherapyStatus.Open,
            string.IsNullOrWhiteSpace(input.Note) ? null : input.Note.Trim(), actor.UserName, now);
        var id = await uow.Store<ITherapyStore>().InsertRequestAsync(request, ct);
        request = request with { Id = id };
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("therapy-request", CareService.Id(id), "requested", new
        {
            patient = patient.Code,
            product = request.ProductCode,
            request.Dose,
            request.DoseUnit,
            request.TotalDose,
            request.VialsNeeded,
            urgency = urgency.Name(),
            request.TreatingCenter,
            request.Note,
        }), ct);
        await uow.CommitAsync(ct);
        return request;
    }

    public async Task<TherapyRecord> GetAsync(Actor actor, long requestId, CancellationToken ct = default)
    {
        CareService.Read(actor);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await RecordAsync(uow.Store<ITherapyStore>(), requestId, ct);
    }

    public async Task<IReadOnlyList<TherapyRecord>> ListForPatientAsync(Actor actor, long patientId, CancellationToken ct = default)
    {
        CareService.ReadDrills(actor);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        await CareService.ReadPatientAsync(uow.Store<ICareStore>(), actor, patientId, ct);
        var store = uow.Store<ITherapyStore>();
        var list = new List<TherapyRecord>();
        foreach (var r in await store.ListPatientRequestsAsync(patientId, ct))
        {
            list.Add(await RecordAsync(store, r.Id, ct));
        }

        return list;
    }

    public async Task<IReadOnlyList<TherapyRequest>> ListForIncidentAsync(Actor actor, long incidentId, CancellationToken ct = default)
    {
        CareService.ReadDrills(actor);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        await CareService.ReadIncidentAsync(uow.Store<ICareStore>(), actor, incidentId, ct);
        return await uow.Store<ITherapyStore>().ListIncidentRequestsAsync(incidentId, ct);
    }

    /// <summary>
    /// The vials that may be given for a request now: released, unexpired, unflagged, unreserved
    /// vials of the product from consenting donors whose line is HLA-acceptable for the patient,
    /// ranked by compatibility (HvG; × GvH when the product contains immune cells), then soonest
    /// expiry (first expired, first out), then vial id; each with its explanation. Lines that are
    /// not acceptable are listed with the reason.
    /// </summary>
    public async Task<TherapyMatches> MatchesAsync(Actor actor, long requestId, int limit = 50, CancellationToken ct = default)
    {
        CareService.Read(actor);
        if (limit is < 1 or > 1000)
        {
            throw new DomainValidationException("limit", "1–1000");
        }

        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        var record = await RecordAsync(uow.Store<ITherapyStore>(), requestId, ct);
        var (patient, product) = await PatientAndProductAsync(uow, record.Request, ct);
        await RefuseRealStockForDrillAsync(uow, patient, ct);
        var (offers, excluded) = await RankAsync(uow, record.Request, patient, product, ct);
        return new TherapyMatches(record.Request, Math.Max(0, record.Request.VialsNeeded - record.VialsHeld), product.ContainsImmuneCells,
            [.. offers.Take(limit)], excluded, Ranking(product));
    }

    /// <summary>
    /// Reserves the given vials for the request in one transaction: each must still be offered (a
    /// vial someone reserved a moment ago answers 409), all or none are reserved.
    /// </summary>
    public async Task<TherapyRecord> ReserveAsync(Actor actor, long requestId, IReadOnlyList<long> vialIds, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(vialIds);
        actor.Demand(Operation.CareTherapyReserve);
        if (vialIds.Count == 0)
        {
            throw new DomainValidationException("vialIds", "choose at least one vial");
        }

        if (vialIds.Distinct().Count() != vialIds.Count)
        {
            throw new DomainValidationException("vialIds", "a vial is listed twice");
        }

        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var record = await ReserveInAsync(uow, actor, requestId, vialIds, ct);
        await uow.CommitAsync(ct);
        return record;
    }

    /// <summary>Reserves the best-ranked vials the request still needs, in one transaction.</summary>
    public async Task<TherapyRecord> ReserveBestAsync(Actor actor, long requestId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.CareTherapyReserve);
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var record = await RecordAsync(uow.Store<ITherapyStore>(), requestId, ct);
        var (patient, product) = await PatientAndProductAsync(uow, record.Request, ct);
        await RefuseRealStockForDrillAsync(uow, patient, ct);
        RequireClinical(product, "reserved");
        var still = record.Request.VialsNeeded - record.VialsHeld;
        if (still <= 0 || record.Request.Status != TherapyStatus.Open)
        {
            throw new RuleViolationException($"therapy request {requestId} is {record.Request.Status.Name()} and needs no more vials");
        }

        var (offers, _) = await RankAsync(uow, record.Request, patient, product, ct);
        if (offers.Count == 0)
        {
            throw new RuleViolationException($"no released, compatible {record.Request.ProductCode} vial is available for patient {patient.Code}");
        }

        var result = await ReserveInAsync(uow, actor, requestId, [.. offers.Take(still).Select(o => o.VialId)], ct);
        await uow.CommitAsync(ct);
        return result;
    }

    /// <summary>Cancels a request before dispatch: its vials go back to the stock.</summary>
    public async Task<TherapyRecord> CancelAsync(Actor actor, long requestId, string reason, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.CareTherapyCancel);
        RequireText(reason, "reason");
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<ITherapyStore>();
        var record = await RecordAsync(store, requestId, ct);
        if (record.Request.Status is not (TherapyStatus.Open or TherapyStatus.Reserved))
        {
            throw new RuleViolationException($"therapy request {requestId} is {record.Request.Status.Name()}; only an open or reserved request can be cancelled");
        }

        var released = new List<string>();
        foreach (var v in record.Vials.Where(v => v.Status == TherapyVialStatus.Reserved))
        {
            await bank.CancelReservationInAsync(uow, actor, v.VialId, $"therapy request {requestId} cancelled: {reason.Trim()}", ct);
            await UpdateVialAsync(store, v with { Status = TherapyVialStatus.Released }, ct);
            released.Add(v.VialIdentity);
        }

        await SetStatusAsync(store, record.Request, TherapyStatus.Cancelled, ct);
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("therapy-request", CareService.Id(requestId), "cancelled",
            new { released }, reason.Trim()), ct);
        var result = await GetInAsync(uow, requestId, ct);
        await uow.CommitAsync(ct);
        return result;
    }

    /// <summary>Dispatches every reserved vial of a fully reserved request to its treating center: one shipment.</summary>
    public async Task<TherapyRecord> DispatchAsync(Actor actor, long requestId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.CareTherapyDispatch);
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<ITherapyStore>();
        var record = await RecordAsync(store, requestId, ct);
        if (record.Request.Status != TherapyStatus.Reserved)
        {
            throw new RuleViolationException(record.Request.Status == TherapyStatus.Open
                ? $"therapy request {requestId} holds {record.VialsHeld} of {record.Request.VialsNeeded} vials; reserve them all before dispatch"
                : $"therapy request {requestId} is {record.Request.Status.Name()}, not reserved");
        }

        RequireClinical((await PatientAndProductAsync(uow, record.Request, ct)).Product, "dispatched");
        var now = clock.UtcNow;
        var shipmentId = await store.InsertShipmentAsync(new Shipment(0, requestId, record.Request.TreatingCenter, now, actor.UserName, null, null), ct);
        var vials = record.Vials.Where(v => v.Status == TherapyVialStatus.Reserved).ToList();
        foreach (var v in vials)
        {
            await bank.ShipInAsync(uow, actor, v.VialId, $"{record.Request.TreatingCenter} (shipment {shipmentId}, therapy request {requestId})", ct);
            await UpdateVialAsync(store, v with { Status = TherapyVialStatus.Dispatched, ShipmentId = shipmentId }, ct);
        }

        await SetStatusAsync(store, record.Request, TherapyStatus.Dispatched, ct);
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("therapy-request", CareService.Id(requestId), "dispatched", new
        {
            shipment = shipmentId,
            destination = record.Request.TreatingCenter,
            vials = vials.Select(v => v.VialIdentity),
        }), ct);
        var result = await GetInAsync(uow, requestId, ct);
        await uow.CommitAsync(ct);
        return result;
    }

    /// <summary>The treating center records the shipment's arrival.</summary>
    public async Task<TherapyRecord> ReceiveAsync(Actor actor, long requestId, string? note, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.CareTherapyReceive);
        new InputLimits().Text("note", note, Limits.FreeText).ThrowIfAny();
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<ITherapyStore>();
        var record = await RecordAsync(store, requestId, ct);
        if (record.Request.Status != TherapyStatus.Dispatched)
        {
            throw new RuleViolationException($"therapy request {requestId} is {record.Request.Status.Name()}, not dispatched");
        }

        var now = clock.UtcNow;
        var text = string.IsNullOrWhiteSpace(note) ? $"received at {record.Request.TreatingCenter}" : note.Trim();
        foreach (var s in record.Shipments.Where(s => s.ReceivedAt is null))
        {
            await store.MarkShipmentReceivedAsync(s.Id, now, actor.UserName, ct);
        }

        foreach (var v in record.Vials.Where(v => v.Status == TherapyVialStatus.Dispatched))
        {
            await bank.ReceiveInAsync(uow, actor, v.VialId, text, ct);
            await UpdateVialAsync(store, v with { Status = TherapyVialStatus.Received }, ct);
        }

        await SetStatusAsync(store, record.Request, TherapyStatus.Received, ct);
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("therapy-request", CareService.Id(requestId), "received", new { note = text }), ct);
        var result = await GetInAsync(uow, requestId, ct);
        await uow.CommitAsync(ct);
        return result;
    }

    /// <summary>
    /// A physician records the administration of a received request's vials, signing it
    /// (meaning "administered", password re-entered): the signature, each vial's thaw and
    /// administration and the request's journal entry are one transaction.
    /// </summary>
    public async Task<TherapyRecord> AdministerAsync(Actor actor, long requestId, string password, string? note, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.CareTherapyAdminister);
        new InputLimits().Text("note", note, Limits.FreeText).ThrowIfAny();
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<ITherapyStore>();
        var record = await RecordAsync(store, requestId, ct);
        if (record.Request.Status != TherapyStatus.Received)
        {
            throw new RuleViolationException($"therapy request {requestId} is {record.Request.Status.Name()}; its vials must be received at the treating center first");
        }

        var (patient, product) = await PatientAndProductAsync(uow, record.Request, ct);
        RequireClinical(product, "administered");
        var vials = record.Vials.Where(v => v.Status == TherapyVialStatus.Received).ToList();
        await signatures.SignAsync(uow, actor, new SignatureIntent("therapy-request", CareService.Id(requestId), "administered", new
        {
            patient = patient.Code,
            product = record.Request.ProductCode,
            dose = record.Request.Dose,
            doseUnit = record.Request.DoseUnit,
            vials = vials.Select(v => v.VialIdentity),
        }), password, ct);
        var now = clock.UtcNow;
        foreach (var v in vials)
        {
            await bank.AdministerInAsync(uow, actor, v.VialId, $"{patient.Code} (therapy request {requestId})", ct);
            await UpdateVialAsync(store, v with { Status = TherapyVialStatus.Administered, AdministeredAt = now, AdministeredBy = actor.UserName }, ct);
        }

        await SetStatusAsync(store, record.Request, TherapyStatus.Administered, ct);
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("therapy-request", CareService.Id(requestId), "administered", new
        {
            patient = patient.Code,
            vials = vials.Select(v => v.VialIdentity),
            note = string.IsNullOrWhiteSpace(note) ? null : note.Trim(),
        }), ct);
        var result = await GetInAsync(uow, requestId, ct);
        await uow.CommitAsync(ct);
        return result;
    }

    /// <summary>Records an outcome after administration (not before it, not in the future).</summary>
    public async Task<FollowUp> RecordFollowUpAsync(Actor actor, long requestId, DateTimeOffset observedAt, string? outcome, string? note, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.CareTherapyFollowUp);
        new InputLimits().Text("outcome", outcome, Limits.ShortName).Text("note", note, Limits.FreeText).ThrowIfAny(); // 2,000 before
        var errors = new List<FieldError>();
        var kind = FollowUpOutcome.Stable;
        try
        {
            kind = TherapyNames.Parse<FollowUpOutcome>(outcome, "outcome");
        }
        catch (DomainValidationException ex)
        {
            errors.AddRange(ex.Errors);
        }


        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<ITherapyStore>();
        var record = await RecordAsync(store, requestId, ct);
        if (record.Request.Status != TherapyStatus.Administered)
        {
            throw new RuleViolationException($"therapy request {requestId} is {record.Request.Status.Name()}; follow-up starts after administration");
        }

        var given = record.Vials.Where(v => v.AdministeredAt is not null).Min(v => v.AdministeredAt!.Value);
        var now = clock.UtcNow;
        if (observedAt < given)
        {
            errors.Add(new("observedAt", $"is before the administration ({JournalTime.ToText(given)})"));
        }
        else if (observedAt > now + ObservationRules.FutureTolerance)
        {
            errors.Add(new("observedAt", "is in the future"));
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        var followUp = new FollowUp(0, requestId, observedAt, kind, string.IsNullOrWhiteSpace(note) ? null : note.Trim(), actor.UserName, now);
        var id = await store.InsertFollowUpAsync(followUp, ct);
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("therapy-request", CareService.Id(requestId), "followed-up", new
        {
            observedAt = JournalTime.ToText(observedAt),
            outcome = kind.Name(),
            followUp.Note,
        }), ct);
        await uow.CommitAsync(ct);
        return followUp with { Id = id };
    }

    // ------------------------------------------------------------------------------------------

    private async Task<TherapyRecord> ReserveInAsync(IUnitOfWork uow, Actor actor, long requestId, IReadOnlyList<long> vialIds, CancellationToken ct)
    {
        var store = uow.Store<ITherapyStore>();
        var record = await RecordAsync(store, requestId, ct);
        if (record.Request.Status != TherapyStatus.Open)
        {
            throw new RuleViolationException($"therapy request {requestId} is {record.Request.Status.Name()}; vials are reserved for open requests only");
        }

        var still = record.Request.VialsNeeded - record.VialsHeld;
        if (vialIds.Count > still)
        {
            throw new DomainValidationException("vialIds", $"the request needs {still} more vial(s), not {vialIds.Count}");
        }

        var (patient, product) = await PatientAndProductAsync(uow, record.Request, ct);
        await RefuseRealStockForDrillAsync(uow, patient, ct);
        RequireClinical(product, "reserved");
        // Only the vials asked for are read and scored (the same rule and scores as the offers), not the
        // whole stock: a reservation while 100,000 victims are imported read 1,500 vials each time (ADR 0042).
        var (offers, excluded) = await RankAsync(uow, record.Request, patient, product, ct, vialIds);
        var byId = offers.ToDictionary(o => o.VialId);
        var bankStore = uow.Store<IBankStore>();
        var now = clock.UtcNow;
        var reserved = new List<VialOffer>();
        foreach (var id in vialIds)
        {
            if (!byId.TryGetValue(id, out var offer))
            {
                var vial = await bankStore.FindVialAsync(id, ct) ?? throw new NotFoundException($"no vial {id}");
                if (vial.Status == Bank.Model.VialStatus.Reserved)
                {
                    throw new ConflictException($"vial {vial.Identity} was reserved by someone else ({vial.ReservedFor}); choose another");
                }

                var lineCode = (await bankStore.FindLineAsync(vial.LineId, ct))?.Code;
                var line = excluded.FirstOrDefault(e => string.Equals(e.LineCode, lineCode, StringComparison.Ordinal));
                throw new RuleViolationException(vial.ProductCode != product.Code
                    ? $"vial {vial.Identity} is {vial.ProductCode}, not the requested {product.Code}"
                    : line is not null
                        ? $"vial {vial.Identity} is not HLA-acceptable for patient {patient.Code}: {line.Reason}"
                        : $"vial {vial.Identity} cannot be given now: it is {Bank.Model.Lifecycle.Name(vial.Status)}"
                          + (vial.Flag is null ? "" : $", flagged {vial.Flag}") + ", or expired, or its donor's consent or eligibility does not allow clinical use");
            }

            // The bank's guard re-checks status (409 when reserved a moment ago), expiry, consent and eligibility.
            await bank.ReserveInAsync(uow, actor, id, $"{patient.Code} (therapy request {requestId})", ct);
            await store.InsertVialAsync(new TherapyVial(0, requestId, id, offer.VialIdentity, offer.LineCode, TherapyVialStatus.Reserved,
                offer.Compatibility, offer.Explanation, actor.UserName, now, null, null, null), ct);
            reserved.Add(offer);
        }

        var full = record.VialsHeld + reserved.Count >= record.Request.VialsNeeded;
        if (full)
        {
            await SetStatusAsync(store, record.Request, TherapyStatus.Reserved, ct);
        }

        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("therapy-request", CareService.Id(requestId), "reserved", new
        {
            patient = patient.Code,
            vials = reserved.Select(o => new { vial = o.VialIdentity, line = o.LineCode, site = o.Site, o.Compatibility, o.Explanation }),
            held = record.VialsHeld + reserved.Count,
            needed = record.Request.VialsNeeded,
        }), ct);
        return await GetInAsync(uow, requestId, ct);
    }

    private async Task<(List<VialOffer> Offers, List<ExcludedLine> Excluded)> RankAsync(IUnitOfWork uow, TherapyRequest request, Patient patient,
        Product product, CancellationToken ct, IReadOnlyCollection<long>? onlyVials = null)
    {
        var stock = await BankProductInventory.AvailableWithSitesAsync(uow, product.Code, clock.UtcNow, ct, onlyVials);
        var asRequest = new AllocationRequest(CareService.Id(request.Id), patient.Code, product.Code, request.VialsNeeded, 1, patient.HlaTyping,
            product.ContainsImmuneCells);
        var scores = new Dictionary<string, PairScore>(StringComparer.Ordinal);
        var offers = new List<(AvailableVial V, string Site, PairScore S)>();
        var excluded = new Dictionary<string, (int Vials, string Reason)>(StringComparer.Ordinal);
        foreach (var (v, site) in stock)
        {
            if (!scores.TryGetValue(v.LineCode, out var s))
            {
                scores[v.LineCode] = s = compatibility.Score(asRequest, v.LineCode, v.LineHla);
            }

            if (s.Acceptable)
            {
                offers.Add((v, site, s));
            }
            else
            {
                excluded[v.LineCode] = (excluded.TryGetValue(v.LineCode, out var e) ? e.Vials + 1 : 1, s.Explanation);
            }
        }

        var ranked = offers
            .OrderByDescending(o => o.S.Score)
            .ThenBy(o => o.V.Vial.ExpiresAt)
            .ThenBy(o => o.V.Vial.Id)
            .Select((o, i) => new VialOffer(i + 1, o.V.Vial.Id, o.V.Vial.Identity, o.V.LotNumber, o.V.LineCode, o.Site, o.V.Vial.ExpiresAt, o.S.Score,
                o.S.Explanation))
            .ToList();
        return (ranked, [.. excluded.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => new ExcludedLine(e.Key, e.Value.Vials, e.Value.Reason))]);
    }

    /// <summary>"product S9100 (Clinical iPSC stock) is starting material (not for administration): only clinical products can be … for a patient".</summary>
    private static string NotClinical(Product product, string what) =>
        $"product {product.Code} ({product.Name}) is {IntendedUses.Text(product.IntendedUse)}: only clinical products can be {what} for a patient (ADR 0016)";

    /// <summary>Refuses (422) a step of a request whose product is not (or no longer) a clinical product.</summary>
    private static void RequireClinical(Product product, string what)
    {
        if (product.IntendedUse != IntendedUse.Clinical)
        {
            throw new RuleViolationException(NotClinical(product, what));
        }
    }

    private static string Ranking(Product product) =>
        (product.ContainsImmuneCells
            ? "compatibility 1/((1 + HvG)(1 + GvH)): the product contains immune cells, so graft-versus-host mismatches count too"
            : "compatibility 1/(1 + HvG): host-versus-graft mismatches only (no immune cells in the product)")
        + "; A, B, DRB1 at two fields, worst case over ambiguity; then soonest expiry first";

    /// <summary>
    /// Refuses (422) to offer or reserve the bank's real vials for a patient of a drill incident:
    /// drill patients are never matched with real stock (issue 15 item 2, ADR 0035).
    /// </summary>
    private static async Task RefuseRealStockForDrillAsync(IUnitOfWork uow, Patient patient, CancellationToken ct)
    {
        var incident = await uow.Store<ICareStore>().GetIncidentAsync(patient.IncidentId, ct);
        if (incident?.Drill == true)
        {
            throw new RuleViolationException($"patient {patient.Code} is a drill patient (incident {incident.Code}): the bank's real stock is never offered to or reserved for a drill patient (drill data is kept apart, ADR 0035)");
        }
    }

    private static async Task<(Patient Patient, Product Product)> PatientAndProductAsync(IUnitOfWork uow, TherapyRequest request, CancellationToken ct)
    {
        var patient = await uow.Store<ICareStore>().GetPatientAsync(request.PatientId, ct) ?? throw new NotFoundException($"no patient {request.PatientId}");
        var product = await uow.Store<IBankStore>().FindProductAsync(request.ProductCode, ct)
            ?? throw new NotFoundException($"product {request.ProductCode} is no longer in the catalogue");
        return (patient, product);
    }

    private static async Task<TherapyRecord> RecordAsync(ITherapyStore store, long requestId, CancellationToken ct)
    {
        var request = await store.GetRequestAsync(requestId, ct) ?? throw new NotFoundException($"no therapy request {requestId}");
        return new TherapyRecord(request, await store.ListVialsAsync(requestId, ct), await store.ListShipmentsAsync(requestId, ct),
            await store.ListFollowUpsAsync(requestId, ct));
    }

    private static Task<TherapyRecord> GetInAsync(IUnitOfWork uow, long requestId, CancellationToken ct) =>
        RecordAsync(uow.Store<ITherapyStore>(), requestId, ct);

    private static async Task SetStatusAsync(ITherapyStore store, TherapyRequest request, TherapyStatus status, CancellationToken ct)
    {
        if (!await store.UpdateRequestStatusAsync(request.Id, status, request.Version, ct))
        {
            throw new ConflictException($"therapy request {request.Id} was changed by someone else at the same moment; reload it");
        }
    }

    private static async Task UpdateVialAsync(ITherapyStore store, TherapyVial vial, CancellationToken ct)
    {
        if (!await store.UpdateVialAsync(vial, vial.Version, ct))
        {
            throw new ConflictException($"vial {vial.VialIdentity} of therapy request {vial.RequestId} was changed by someone else; reload it");
        }
    }

    private static void RequireText(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new DomainValidationException(field, "is required");
        }

        new InputLimits().Text(field, text, Limits.FreeText).ThrowIfAny();
    }
}
