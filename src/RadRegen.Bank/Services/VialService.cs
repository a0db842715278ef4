using RadRegen.Bank.Model;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;

namespace RadRegen.Bank.Services;

/// <summary>A vial's page: identity, lineage, and its chain of custody.</summary>
public sealed record VialDetail(Lineage Lineage, IReadOnlyList<CustodyEvent> Custody, StorageLocation? Box)
{
    /// <summary>For a vial received from another center: the receipt that brought it (source center, shipment, lineage, custody; ADR 0031).</summary>
    public ReceivedLot? Provenance { get; init; }

    /// <summary>For a vial shipped to another center: where it went (it is that center's now).</summary>
    public VialTransferOut? TransferredOut { get; init; }
}

/// <summary>
/// Vials and their chain of custody: every change of state (reserve, ship, receive, thaw,
/// administer, discard, expire) and every move goes through one transition that guards the
/// lifecycle, the version and the donor's consent and writes the custody event and the journal entry.
/// </summary>
public sealed class VialService(IUnitOfWorkFactory units, IClock clock, SignatureService signatures, Network.StockPublisher stock)
{
    /// <summary>Reserves a released vial for a patient or request. A vial someone else took first answers 409.</summary>
    public Task<Vial> ReserveAsync(Actor actor, long vialId, string reservedFor, int? expectedVersion = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.BankVialReserve);
        RequireReservedFor(reservedFor);

        return TransitionAsync(actor, vialId, VialStatus.Reserved, "reserved", $"reserved for {reservedFor.Trim()}", expectedVersion, null, null,
            v => v with { ReservedFor = reservedFor.Trim() }, ct);
    }

    /// <summary>Whom a vial is reserved for: a patient code or a request, a short name (Core.Limits; 100 before).</summary>
    private static void RequireReservedFor(string? reservedFor)
    {
        if (string.IsNullOrWhiteSpace(reservedFor))
        {
            throw new DomainValidationException("reservedFor", "name the patient or request the vial is reserved for");
        }

        new InputLimits().Text("reservedFor", reservedFor, Limits.ShortName).ThrowIfAny();
    }

    /// <summary>Gives a reserved vial back to the available stock.</summary>
    public Task<Vial> CancelReservationAsync(Actor actor, long vialId, string reason, int? expectedVersion = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.BankVialCancelReservation);
        BankRules.RequireReason(reason);
        return TransitionAsync(actor, vialId, VialStatus.Released, "reservation-cancelled", reason, expectedVersion, null, null,
            v => v with { ReservedFor = null }, ct, requireFrom: VialStatus.Reserved);
    }

    public Task<Vial> ShipAsync(Actor actor, long vialId, string destination, int? expectedVersion = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.BankVialShip);
        BankRules.RequireReason(destination);
        return TransitionAsync(actor, vialId, VialStatus.Shipped, "shipped", $"shipped to {destination.Trim()}", expectedVersion, null, null,
            v => v with { BoxId = null, Row = null, Column = null }, ct);
    }

    public Task<Vial> ReceiveAsync(Actor actor, long vialId, string note, int? expectedVersion = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.BankVialReceive);
        BankRules.RequireReason(note);
        return TransitionAsync(actor, vialId, VialStatus.Received, "received", note, expectedVersion, null, null, v => v, ct);
    }

    /// <summary>Thaws a vial: from now it keeps only the product's shelf life after thaw.</summary>
    public async Task<Vial> ThawAsync(Actor actor, long vialId, string reason, int? expectedVersion = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.BankVialThaw);
        BankRules.RequireReason(reason);
        Catalogue.Product product;
        await using (var uow = await units.BeginAsync(WorkMode.Read, ct))
        {
            var store = uow.Store<IBankStore>();
            var v = await store.FindVialAsync(vialId, ct) ?? throw new NotFoundException($"no vial {vialId}");
            product = await BankRules.ProductAsync(store, v.ProductCode, ct);
        }

        var until = clock.UtcNow.AddHours(product.ShelfLifeAfterThawHours);
        return await TransitionAsync(actor, vialId, VialStatus.Thawed, "thawed", reason, expectedVersion, null, null,
            v => v with { ExpiresAt = until < v.ExpiresAt ? until : v.ExpiresAt }, ct);
    }

    /// <summary>A physician records administration with an e-signature ("administered").</summary>
    public Task<Vial> AdministerAsync(Actor actor, long vialId, string patient, string password, int? expectedVersion = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.BankVialAdminister);
        BankRules.RequireReason(patient);
        return TransitionAsync(actor, vialId, VialStatus.Administered, "administered", $"administered to {patient.Trim()}", expectedVersion,
            password, "administered", v => v, ct);
    }

    /// <summary>Discards a vial with an e-signature ("discarded") and a reason; it leaves its position.</summary>
    public Task<Vial> DiscardAsync(Actor actor, long vialId, string reason, string password, int? expectedVersion = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.BankVialDiscard);
        BankRules.RequireReason(reason);
        return TransitionAsync(actor, vialId, VialStatus.Discarded, "discarded", reason, expectedVersion, password, "discarded",
            v => v with { BoxId = null, Row = null, Column = null }, ct);
    }

    // ------------------------------------------------------------------------------------------
    // The same transitions inside the caller's unit of work, for the care module: a therapy
    // reservation, dispatch or administration writes its own records and the vials' in one
    // transaction (all or nothing). The caller has checked its own roles; these check the bank's.

    /// <summary>Reserves a released vial inside <paramref name="uow"/>: 409 when someone reserved it first.</summary>
    public Task<Vial> ReserveInAsync(IUnitOfWork uow, Actor actor, long vialId, string reservedFor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(uow);
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.BankVialReserve);
        RequireReservedFor(reservedFor);

        return TransitionInAsync(uow, actor, vialId, VialStatus.Reserved, "reserved", $"reserved for {reservedFor.Trim()}", null, null, null,
            v => v with { ReservedFor = reservedFor.Trim() }, ct);
    }

    /// <summary>Gives a reserved vial back to the stock inside <paramref name="uow"/>.</summary>
    public Task<Vial> CancelReservationInAsync(IUnitOfWork uow, Actor actor, long vialId, string reason, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(uow);
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.BankVialCancelReservation);
        BankRules.RequireReason(reason);
        return TransitionInAsync(uow, actor, vialId, VialStatus.Released, "reservation-cancelled", reason, null, null, null,
            v => v with { ReservedFor = null }, ct, requireFrom: VialStatus.Reserved);
    }

    /// <summary>Ships a reserved vial inside <paramref name="uow"/>; it leaves its storage position.</summary>
    public Task<Vial> ShipInAsync(IUnitOfWork uow, Actor actor, long vialId, string destination, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(uow);
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.BankVialShip);
        BankRules.RequireReason(destination);
        return ShipForPatientInAsync(uow, actor, vialId, destination, ct);
    }

    /// <summary>A therapy dispatch ships for a patient: only clinical products from clinical lots (ADR 0016).</summary>
    private async Task<Vial> ShipForPatientInAsync(IUnitOfWork uow, Actor actor, long vialId, string destination, CancellationToken ct)
    {
        var store = uow.Store<IBankStore>();
        var lineage = await store.LineageAsync(vialId, ct) ?? throw new NotFoundException($"no vial {vialId}");
        await RequireClinicalAsync(store, lineage.Vial, lineage.Lot, "shipped", ct);
        return await TransitionInAsync(uow, actor, vialId, VialStatus.Shipped, "shipped", $"shipped to {destination.Trim()}", null, null, null,
            v => v with { BoxId = null, Row = null, Column = null }, ct);
    }

    /// <summary>Records a shipped vial's arrival inside <paramref name="uow"/>.</summary>
    public Task<Vial> ReceiveInAsync(IUnitOfWork uow, Actor actor, long vialId, string note, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(uow);
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.BankVialReceive);
        BankRules.RequireReason(note);
        return TransitionInAsync(uow, actor, vialId, VialStatus.Received, "received", note, null, null, null, v => v, ct);
    }

    /// <summary>
    /// Thaws (when not yet thawed) and administers a vial inside <paramref name="uow"/>. The caller
    /// has taken the physician's e-signature in the same unit of work (one signature for the
    /// administration as a whole), so no second password is asked here.
    /// </summary>
    public async Task<Vial> AdministerInAsync(IUnitOfWork uow, Actor actor, long vialId, string patient, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(uow);
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.BankVialAdminister);
        BankRules.RequireReason(patient);
        var store = uow.Store<IBankStore>();
        var vial = await store.FindVialAsync(vialId, ct) ?? throw new NotFoundException($"no vial {vialId}");
        if (vial.Status == VialStatus.Received)
        {
            var product = await BankRules.ProductAsync(store, vial.ProductCode, ct);
            var until = clock.UtcNow.AddHours(product.ShelfLifeAfterThawHours);
            await TransitionInAsync(uow, actor, vialId, VialStatus.Thawed, "thawed", $"thawed for administration to {patient.Trim()}", null, null, null,
                v => v with { ExpiresAt = until < v.ExpiresAt ? until : v.ExpiresAt }, ct);
        }

        return await TransitionInAsync(uow, actor, vialId, VialStatus.Administered, "administered", $"administered to {patient.Trim()}", null, null, null,
            v => v, ct);
    }

    /// <summary>
    /// The one way a vial changes state: the lifecycle guard (422), the expected version (409 when
    /// stale), a conditional update on version (409 when someone else won), the custody event and
    /// the journal entry, all in one unit of work.
    /// </summary>
    private async Task<Vial> TransitionAsync(Actor actor, long vialId, VialStatus to, string action, string reason, int? expectedVersion,
        string? password, string? meaning, Func<Vial, Vial> change, CancellationToken ct, VialStatus? requireFrom = null)
    {
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var updated = await TransitionInAsync(uow, actor, vialId, to, action, reason, expectedVersion, password, meaning, change, ct, requireFrom);
        await uow.CommitAsync(ct);
        return updated;
    }

    /// <summary>The transition inside the caller's unit of work (which commits it).</summary>
    private async Task<Vial> TransitionInAsync(IUnitOfWork uow, Actor actor, long vialId, VialStatus to, string action, string reason, int? expectedVersion,
        string? password, string? meaning, Func<Vial, Vial> change, CancellationToken ct, VialStatus? requireFrom = null)
    {
        var store = uow.Store<IBankStore>();
        var vial = await store.FindVialAsync(vialId, ct) ?? throw new NotFoundException($"no vial {vialId}");
        if (expectedVersion is { } ev && ev != vial.Version)
        {
            throw new ConflictException($"vial {vial.Identity} changed since you read it (version {vial.Version}, not {ev})");
        }

        var now = clock.UtcNow;
        if (to == VialStatus.Reserved && vial.Status == VialStatus.Reserved)
        {
            throw new ConflictException($"vial {vial.Identity} is already reserved");
        }

        if (requireFrom is { } rf && vial.Status != rf)
        {
            throw new RuleViolationException($"vial {vial.Identity} is {Lifecycle.Name(vial.Status)}, not {Lifecycle.Name(rf)}");
        }

        Lifecycle.Guard(vial, to);
        if (to == VialStatus.Received && await uow.Store<IReceivedLotStore>().FindTransferOutAsync(vial.Id, ct) is { ReturnedAt: null } gone)
        {
            // Ownership moved (ADR 0031): a vial shipped to another center is that center's; it comes back only in a return shipment.
            throw new RuleViolationException($"vial {vial.Identity} was shipped to center {gone.ToCenter} in shipment {gone.ShipmentId} and belongs to that center now");
        }

        if (to is VialStatus.Reserved or VialStatus.Shipped or VialStatus.Thawed or VialStatus.Administered)
        {
            if (Expiry.IsExpired(vial.ExpiresAt, now))
            {
                throw new RuleViolationException($"vial {vial.Identity} expired at {JournalTime.ToText(vial.ExpiresAt)}");
            }

            var lineage = await store.LineageAsync(vial.Id, ct) ?? throw new NotFoundException($"no lineage for vial {vialId}");
            BankRules.UsableDonor(lineage.Donor, $"{action} of vial {vial.Identity}");
            if (to is VialStatus.Reserved or VialStatus.Administered)
            {
                await RequireClinicalAsync(store, vial, lineage.Lot, action, ct);
            }

            if (to == VialStatus.Reserved && !lineage.Donor.Consent.Clinical)
            {
                throw new RuleViolationException($"donor {lineage.Donor.Code} did not consent to clinical use");
            }

            if (to == VialStatus.Reserved && !lineage.Donor.Eligible)
            {
                throw new RuleViolationException($"donor {lineage.Donor.Code} is not eligible (infectious-marker screening incomplete or positive)");
            }
        }

        if (to is VialStatus.Reserved or VialStatus.Shipped && vial.Flag is { } flag)
        {
            // Flagged stock (a temperature excursion awaiting QA, a consent withdrawal) is not allocated; the flag says why.
            throw new RuleViolationException($"vial {vial.Identity} is flagged and cannot be {(to == VialStatus.Reserved ? "reserved" : "shipped")}: {flag}");
        }

        if (password is not null)
        {
            await signatures.SignAsync(uow, actor, new Core.Access.SignatureIntent("vial", vial.Identity, meaning!,
                new { identity = vial.Identity, from = Lifecycle.Name(vial.Status), to = Lifecycle.Name(to), reason }), password, ct);
        }

        var updated = change(vial) with { Status = to };
        await WriteTransitionAsync(uow, actor, vial, updated, action, reason, now, ct);
        if (vial.Status == VialStatus.Released || to == VialStatus.Released)
        {
            // Available stock changed: the network learns the lot's new state in this transaction (ADR 0023).
            await stock.PublishLotAsync(uow, vial.LotId, ct);
        }

        return updated with { Version = vial.Version + 1 };
    }

    /// <summary>
    /// Only clinical products, from lots for clinical use, are reserved or administered for a
    /// patient (ADR 0016): a starting-material or research vial is refused (422) naming the product
    /// and its intended use.
    /// </summary>
    internal static async Task RequireClinicalAsync(IBankStore store, Vial vial, Lot lot, string action, CancellationToken ct)
    {
        var product = await BankRules.ProductAsync(store, vial.ProductCode, ct);
        if (product.IntendedUse != IntendedUse.Clinical)
        {
            throw new RuleViolationException($"product {product.Code} ({product.Name}) is {IntendedUses.Text(product.IntendedUse)}: "
                + $"vial {vial.Identity} cannot be {action} for a patient; only clinical products can");
        }

        if (lot.IntendedUse != IntendedUse.Clinical)
        {
            throw new RuleViolationException($"lot {lot.LotNumber} of {product.Code} is {IntendedUses.Text(lot.IntendedUse)}: "
                + $"vial {vial.Identity} cannot be {action} for a patient");
        }
    }

    /// <summary>Writes a vial's change with its custody event and journal entry (also for a lot's release or rejection).</summary>
    internal static async Task WriteTransitionAsync(IUnitOfWork uow, Actor actor, Vial before, Vial after, string action, string? reason,
        DateTimeOffset now, CancellationToken ct)
    {
        var store = uow.Store<IBankStore>();
        if (!await store.UpdateVialAsync(after, before.Version, ct))
        {
            throw new ConflictException($"vial {before.Identity} was changed by someone else at the same moment; reload it");
        }

        await store.InsertCustodyAsync(new CustodyEvent(0, before.Id, now, actor.UserName, action, Lifecycle.Name(before.Status),
            Lifecycle.Name(after.Status), before.Position, after.Position, reason), ct);
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("vial", before.Identity, action, new
        {
            identity = before.Identity,
            from = Lifecycle.Name(before.Status),
            to = Lifecycle.Name(after.Status),
            fromPosition = before.Position,
            toPosition = after.Position,
            reservedFor = after.ReservedFor,
            expiresAt = JournalTime.ToText(after.ExpiresAt),
        }, reason), ct);
    }

    /// <summary>Moves a vial to a position of a box (custody event); never two vials in one position.</summary>
    public async Task<Vial> MoveAsync(Actor actor, long vialId, long boxId, int row, int column, string reason, int? expectedVersion = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.BankVialMove);
        BankRules.RequireReason(reason);
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<IBankStore>();
        var vial = await store.FindVialAsync(vialId, ct) ?? throw new NotFoundException($"no vial {vialId}");
        if (expectedVersion is { } ev && ev != vial.Version)
        {
            throw new ConflictException($"vial {vial.Identity} changed since you read it (version {vial.Version}, not {ev})");
        }

        if (Lifecycle.IsTerminal(vial.Status) || vial.Status is VialStatus.Shipped or VialStatus.Thawed)
        {
            throw new RuleViolationException($"vial {vial.Identity} is {Lifecycle.Name(vial.Status)} and is not stored in the bank");
        }

        await StorageService.CheckPositionAsync(store, boxId, row, column, ct);
        await StorageService.CheckFitsAsync(store, await BankRules.ProductAsync(store, vial.ProductCode, ct), boxId, ct);
        var moved = vial with { BoxId = boxId, Row = row, Column = column };
        await WriteTransitionAsync(uow, actor, vial, moved, "moved", reason, clock.UtcNow, ct);
        if (vial.Status == VialStatus.Released)
        {
            // The shared state counts vials by site (ADR 0023).
            await stock.PublishLotAsync(uow, vial.LotId, ct);
        }

        await uow.CommitAsync(ct);
        return moved with { Version = vial.Version + 1 };
    }

    public async Task<VialDetail> GetVialAsync(Actor actor, long vialId, CancellationToken ct = default)
    {
        BankRules.Read(actor);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        var store = uow.Store<IBankStore>();
        var lineage = await store.LineageAsync(vialId, ct) ?? throw new NotFoundException($"no vial {vialId}");
        var box = lineage.Vial.BoxId is { } b ? await store.FindLocationAsync(b, ct) : null;
        return new VialDetail(lineage, await store.ListCustodyAsync(vialId, ct), box)
        {
            Provenance = await ReceivedLotService.ProvenanceAsync(uow, lineage.Vial, ct),
            TransferredOut = await uow.Store<IReceivedLotStore>().FindTransferOutAsync(vialId, ct),
        };
    }

    /// <summary>Finds a vial by its identity (DIN, product code, division).</summary>
    public async Task<Vial> FindVialAsync(Actor actor, string din, string productCode, string division, CancellationToken ct = default)
    {
        BankRules.Read(actor);
        new InputLimits().Text("din", din, Limits.ShortName).Text("productCode", productCode, Limits.ShortName).Text("division", division, Limits.ShortName)
            .ThrowIfAny();
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await uow.Store<IBankStore>().FindVialByIdentityAsync(din.Trim().ToUpperInvariant(), productCode.Trim().ToUpperInvariant(),
            division.Trim().ToUpperInvariant(), ct) ?? throw new NotFoundException($"no vial {din} {productCode} {division}");
    }

    /// <summary>Expires every vial past its expiry (journaled, with custody events). Runs in the background and on demand.</summary>
    public async Task<int> ExpireDueAsync(Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.BankVialExpire);
        var total = 0;
        while (true)
        {
            await using var uow = await units.BeginAsync(WorkMode.Write, ct);
            var store = uow.Store<IBankStore>();
            var now = clock.UtcNow;
            var due = await store.ListDueForExpiryAsync(now, 200, ct);
            foreach (var v in due)
            {
                await WriteTransitionAsync(uow, actor, v, v with { Status = VialStatus.Expired }, "expired",
                    $"expired at {JournalTime.ToText(v.ExpiresAt)}", now, ct);
            }

            // The same rule for lots (Expiry): a lot past its expiry is marked expired once, journaled.
            var lots = await store.ListLotsDueForExpiryAsync(now, 200, ct);
            foreach (var lot in lots)
            {
                if (await store.MarkLotExpiredAsync(lot.Id, now, lot.Version, ct))
                {
                    await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("lot", lot.LotNumber, "expired",
                        new { lot.LotNumber, status = Lifecycle.Name(lot.Status), expiresAt = JournalTime.ToText(lot.ExpiresAt) },
                        $"expired at {JournalTime.ToText(lot.ExpiresAt)}"), ct);
                }
            }

            // Expired released stock leaves the shared inventory (ADR 0023).
            await stock.PublishLotsAsync(uow, due.Where(v => v.Status == VialStatus.Released).Select(v => v.LotId)
                .Concat(lots.Where(l => l.Status == LotStatus.Released).Select(l => l.Id)), ct);
            await uow.CommitAsync(ct);
            total += due.Count;
            if (due.Count < 200 && lots.Count < 200)
            {
                return total;
            }
        }
    }
}
