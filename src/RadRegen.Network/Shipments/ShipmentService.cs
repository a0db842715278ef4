using System.Globalization;
using System.Text.Json;
using RadRegen.Bank;
using RadRegen.Bank.Catalogue;
using RadRegen.Bank.Identity;
using RadRegen.Bank.Model;
using RadRegen.Bank.Services;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;
using RadRegen.Core.Messaging;
using RadRegen.Network.Events;

namespace RadRegen.Network.Shipments;

/// <summary>A shipment as a page or the API shows it at this center, with what is computed now.</summary>
/// <param name="Side">This center's side.</param>
/// <param name="RemainingHoldHours">The shipper's hold left now (or at receipt, once received), in hours; null before packing.</param>
public sealed record ShipmentView(Shipment Shipment, ShipmentSide Side, ShipmentState State, double? RemainingHoldHours, string? RemainingHoldText)
{
    /// <summary>The temperature status of the receipt (null before it).</summary>
    public TemperatureStatus? TemperatureStatus => Shipment.Receiver.TemperatureStatus;

    public string Counterpart => Side == ShipmentSide.Sender ? Shipment.ReceiverCenter : Shipment.SenderCenter;
}

/// <summary>A dry shipper with its hold left now (when charged).</summary>
public sealed record ShipperView(DryShipper Shipper, double? RemainingHoldHours, string? RemainingHoldText);

/// <summary>What the receiving center does when the vials that arrived are not the vials shipped.</summary>
public enum DifferenceHandling
{
    /// <summary>Refuse the whole receipt: nothing goes into stock.</summary>
    Refuse,

    /// <summary>Take what arrived into quarantine; QA decides.</summary>
    Quarantine,
}

/// <summary>
/// Shipments between centers (issue 13 item 3, ADR 0024): the request (receiving center), pick and
/// pack into a qualified, charged dry shipper and the signed hand-off to the courier (sending
/// center, through the bank's own vial transitions reserve and ship), the logger series, the signed
/// receipt with set equality and temperature status, and QA's decision on a quarantined receipt
/// (receiving center). Each change is journaled and enqueues the center's whole side of the
/// shipment as a <c>shipment.state</c> event in the same unit of work.
/// </summary>
public sealed partial class ShipmentService(IUnitOfWorkFactory units, IClock clock, SignatureService signatures, VialService vials, BankOptions bank,
    ReceivedLotService receivedLots)
{
    /// <summary>
    /// The payload schema version of <see cref="EventKinds.Shipment"/> this code writes. Version 2
    /// (ADR 0031) adds the lots' lineage, the decline, cancellation, inventory acceptance and return,
    /// and states a version-1 reader does not know: such a reader parks it (unknown schema version)
    /// rather than misreading it. This code reads both.
    /// </summary>
    public const int SchemaVersion = 2;

    /// <summary>The payload schema versions this code reads.</summary>
    public static IReadOnlySet<int> SchemaVersionsRead { get; } = new HashSet<int> { 1, 2 };

    /// <summary>The longest planned transit accepted: no dry shipper is qualified beyond a few weeks (reference/network/shipments.md: "a few days to &gt;2 weeks").</summary>
    public const double MaxTransitHours = 24 * 60;

    private const int MaxText = 4_000;

    // ------------------------------------------------------------------------------------------
    // Settings and shippers

    public async Task<ShipmentSettings?> GetSettingsAsync(Actor actor, CancellationToken ct = default)
    {
        Read(actor);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await uow.Store<IShipmentStore>().FindSettingsAsync(ct);
    }

    /// <summary>QA sets the center's requalification interval and logging interval (quality decisions of the center, with a reason).</summary>
    public async Task<ShipmentSettings> ConfigureAsync(Actor actor, int requalificationIntervalDays, int loggingIntervalMinutes, string reason,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.NetworkShipmentConfigure);
        var errors = new List<FieldError>();
        if (requalificationIntervalDays is < 1 or > 3650)
        {
            errors.Add(new FieldError("requalificationIntervalDays", "a whole number of days from 1 to 3650"));
        }

        if (loggingIntervalMinutes is < 1 or > 1440)
        {
            errors.Add(new FieldError("loggingIntervalMinutes", "a whole number of minutes from 1 to 1440"));
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        var why = RequireText(reason, "reason", "say why (the SOP or validation that sets these values)");
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var settings = new ShipmentSettings(requalificationIntervalDays, loggingIntervalMinutes, clock.UtcNow, actor.UserName, why);
        await uow.Store<IShipmentStore>().SaveSettingsAsync(settings, ct);
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("shipment-settings", "center", "set",
            new { requalificationIntervalDays, loggingIntervalMinutes }, why), ct);
        await uow.CommitAsync(ct);
        return settings;
    }

    public async Task<IReadOnlyList<ShipperView>> ListShippersAsync(Actor actor, CancellationToken ct = default)
    {
        Read(actor);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        var now = clock.UtcNow;
        return [.. (await uow.Store<IShipmentStore>().ListShippersAsync(ct)).Select(s => View(s, now))];
    }

    /// <summary>Registers a dry shipper with its last qualification (the hold time that qualification measured).</summary>
    public async Task<DryShipper> RegisterShipperAsync(Actor actor, string serial, string model, DateTimeOffset qualifiedAt, double qualifiedHoldHours,
        string qualificationReference, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.NetworkShipperManage);
        var id = RequireText(serial, "serial", "the shipper's serial number", 100).ToUpperInvariant();
        var kind = RequireText(model, "model", "the shipper's make and model", 200);
        var reference = RequireText(qualificationReference, "qualificationReference", "the qualification report's reference", 200);
        var now = clock.UtcNow;
        CheckQualification(qualifiedAt, qualifiedHoldHours, now);
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<IShipmentStore>();
        if (await store.FindShipperAsync(id, ct) is not null)
        {
            throw new ConflictException($"dry shipper {id} is already registered");
        }

        var shipper = new DryShipper(id, kind, qualifiedAt, qualifiedHoldHours, reference, null, null, null, now, actor.UserName);
        await store.InsertShipperAsync(shipper, ct);
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("dry-shipper", id, "registered",
            new { serial = id, model = kind, qualifiedAt = JournalTime.ToText(qualifiedAt), qualifiedHoldHours, qualificationReference = reference }), ct);
        await uow.CommitAsync(ct);
        return shipper;
    }

    /// <summary>Records a new qualification of a shipper (after a use, as vendors do: reference/network/shipments.md).</summary>
    public Task<DryShipper> QualifyShipperAsync(Actor actor, string serial, DateTimeOffset qualifiedAt, double qualifiedHoldHours, string qualificationReference,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.NetworkShipperManage);
        var reference = RequireText(qualificationReference, "qualificationReference", "the qualification report's reference", 200);
        CheckQualification(qualifiedAt, qualifiedHoldHours, clock.UtcNow);
        return ChangeShipperAsync(actor, serial, "qualified", s =>
        {
            if (s.PackedIn is not null)
            {
                throw new RuleViolationException($"dry shipper {s.Serial} is packed in shipment {s.PackedIn}; qualify it once it is back");
            }

            return s with { QualifiedAt = qualifiedAt, QualifiedHoldHours = qualifiedHoldHours, QualificationReference = reference, ChargedAt = null };
        }, new { qualifiedAt = JournalTime.ToText(qualifiedAt), qualifiedHoldHours, qualificationReference = reference }, ct);
    }

    /// <summary>Records that a shipper was charged with liquid nitrogen at <paramref name="chargedAt"/> (now when null): its hold counts from then.</summary>
    public Task<DryShipper> ChargeShipperAsync(Actor actor, string serial, DateTimeOffset? chargedAt, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.NetworkShipperManage);
        var now = clock.UtcNow;
        var at = chargedAt ?? now;
        if (at > now + TimeSpan.FromMinutes(5))
        {
            throw new DomainValidationException("chargedAt", "a charge time cannot be in the future");
        }

        return ChangeShipperAsync(actor, serial, "charged", s =>
        {
            if (s.PackedIn is not null)
            {
                throw new RuleViolationException($"dry shipper {s.Serial} is packed in shipment {s.PackedIn}");
            }

            if (at < s.QualifiedAt)
            {
                throw new DomainValidationException("chargedAt", $"the charge ({JournalTime.ToText(at)}) cannot precede the shipper's last qualification ({JournalTime.ToText(s.QualifiedAt)})");
            }

            return s with { ChargedAt = at };
        }, new { chargedAt = JournalTime.ToText(at) }, ct);
    }

    private async Task<DryShipper> ChangeShipperAsync(Actor actor, string serial, string action, Func<DryShipper, DryShipper> change, object content,
        CancellationToken ct)
    {
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<IShipmentStore>();
        var shipper = await store.FindShipperAsync((serial ?? "").Trim().ToUpperInvariant(), ct) ?? throw new NotFoundException($"no dry shipper {serial}");
        var changed = change(shipper);
        if (!await store.UpdateShipperAsync(changed, shipper.Version, ct))
        {
            throw new ConflictException($"dry shipper {shipper.Serial} was changed by someone else; reload it");
        }

        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("dry-shipper", shipper.Serial, action, content), ct);
        await uow.CommitAsync(ct);
        return changed with { Version = shipper.Version + 1 };
    }

    private static void CheckQualification(DateTimeOffset qualifiedAt, double hours, DateTimeOffset now)
    {
        if (qualifiedAt > now + TimeSpan.FromMinutes(5))
        {
            throw new DomainValidationException("qualifiedAt", "a qualification date cannot be in the future");
        }

        if (!double.IsFinite(hours) || hours <= 0 || hours > MaxTransitHours)
        {
            throw new DomainValidationException("qualifiedHoldHours",
                $"the hold time the qualification measured, in hours (more than 0, at most {MaxTransitHours.ToString(CultureInfo.InvariantCulture)})");
        }
    }

    // ------------------------------------------------------------------------------------------
    // Reading

    public async Task<IReadOnlyList<ShipmentView>> ListAsync(Actor actor, CancellationToken ct = default)
    {
        Read(actor);
        var center = Center();
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        var now = clock.UtcNow;
        return [.. (await uow.Store<IShipmentStore>().ListAsync(500, ct)).Where(s => s.SideOf(center) is not null).Select(s => View(s, center, now))];
    }

    public async Task<ShipmentView> GetAsync(Actor actor, string id, CancellationToken ct = default)
    {
        Read(actor);
        var center = Center();
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        var s = await uow.Store<IShipmentStore>().FindAsync(id, ct) ?? throw new NotFoundException($"no shipment {id}");
        return View(s, center, clock.UtcNow);
    }

    public async Task<IReadOnlyList<LoggerPoint>> LoggerSeriesAsync(Actor actor, string id, CancellationToken ct = default)
    {
        Read(actor);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await uow.Store<IShipmentStore>().ListLoggerSeriesAsync(id, ct);
    }

    /// <summary>
    /// The vials this center received from other centers and holds: available (received ok, or
    /// released by QA) or in quarantine, each with its lineage and its chain of custody.
    /// </summary>
    public async Task<IReadOnlyList<ReceivedVial>> ReceivedStockAsync(Actor actor, CancellationToken ct = default)
    {
        Read(actor);
        var center = Center();
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        var result = new List<ReceivedVial>();
        foreach (var s in await uow.Store<IShipmentStore>().ListAsync(10_000, ct))
        {
            if (s.ReceiverCenter != center || s.IsReturn
                || s.Receiver.State is not (ShipmentState.Received or ShipmentState.Released or ShipmentState.Quarantined or ShipmentState.Accepted))
            {
                continue;
            }

            // accepted: QA took them into this center's bank (ADR 0031), where they are vials like any other.
            var status = s.Receiver.State switch
            {
                ShipmentState.Quarantined => "quarantine",
                ShipmentState.Accepted => "in-bank",
                _ => "available",
            };
            var received = s.Receiver.Received.ToHashSet();
            result.AddRange(s.Sender.Items.Where(i => received.Contains(i.Identity))
                .Select(i => new ReceivedVial(i, status, s.Id, s.SenderCenter, s.Receiver.ReceivedAt!.Value, s.Custody)));
        }

        return result;
    }

    // ------------------------------------------------------------------------------------------
    // Receiving center: request

    /// <summary>The requesting (receiving) center asks another center for products or named vials, and says why.</summary>
    public async Task<Shipment> RequestAsync(Actor actor, string senderCenter, string reason, IReadOnlyList<RequestLine> lines, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.NetworkShipmentRequest);
        var center = Center();
        string from;
        try
        {
            from = Din.ValidateFacility(senderCenter);
        }
        catch (DomainValidationException)
        {
            throw new DomainValidationException("senderCenter", "the sending center's ISBT 128 facility identification number (a letter and four letters or digits)");
        }

        if (from == center)
        {
            throw new DomainValidationException("senderCenter", "a shipment goes to another center, not to this one");
        }

        var why = RequireText(reason, "reason", "say why the products are needed (shared with the sending center: never a patient's name)");
        var checkedLines = CheckLines(lines);
        var now = clock.UtcNow;
        var id = string.Create(CultureInfo.InvariantCulture, $"{center}-{now:yyyyMMdd}-{Guid.NewGuid().ToString("N")[..8].ToUpperInvariant()}");
        var shipment = new Shipment(id, from, center, new ShipmentRequest(why, checkedLines, now, actor.UserName), SenderSide.Initial, ReceiverSide.Initial, now);
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        await uow.Store<IShipmentStore>().InsertAsync(shipment, ct);
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("shipment", id, "requested",
            new { id, senderCenter = from, receiverCenter = center, lines = checkedLines }, why), ct);
        await PublishAsync(uow, shipment, ShipmentSide.Receiver, now, ct);
        await uow.CommitAsync(ct);
        return shipment;
    }

    private static List<RequestLine> CheckLines(IReadOnlyList<RequestLine>? lines)
    {
        if (lines is null || lines.Count == 0)
        {
            throw new DomainValidationException("lines", "name at least one product (and how many vials)");
        }

        if (lines.Count > Limits.ShortList.MaxCount)
        {
            throw new DomainValidationException("lines", InputLimits.TooMany(lines.Count, Limits.ShortList));
        }

        var result = new List<RequestLine>();
        for (var i = 0; i < lines.Count; i++)
        {
            var l = lines[i];
            var product = (l.ProductCode ?? "").Trim().ToUpperInvariant();
            if (product.Length is 0 or > 20)
            {
                throw new DomainValidationException($"lines[{i}].productCode", "an ISBT 128 product code");
            }

            var named = (l.Vials ?? []).Select((v, j) => Identity(v, $"lines[{i}].vials[{j}]")).Distinct().ToList();
            if (named.Any(v => v.ProductCode != product))
            {
                throw new DomainValidationException($"lines[{i}].vials", $"every named vial of this line is of product {product}");
            }

            var count = l.Count == 0 && named.Count > 0 ? named.Count : l.Count;
            if (count < 1 || count > 1_000 || count < named.Count)
            {
                throw new DomainValidationException($"lines[{i}].count", "how many vials, 1 to 1000, at least as many as the vials named");
            }

            if (result.Any(r => r.ProductCode == product))
            {
                throw new DomainValidationException($"lines[{i}].productCode", $"product {product} is named twice; one line per product");
            }

            result.Add(new RequestLine(product, count, named));
        }

        return result;
    }

    private static VialIdentity Identity(VialIdentity? v, string field)
    {
        if (v is null || string.IsNullOrWhiteSpace(v.Din) || string.IsNullOrWhiteSpace(v.ProductCode) || string.IsNullOrWhiteSpace(v.Division))
        {
            throw new DomainValidationException(field, "a vial is named by its DIN, product code and division");
        }

        Din din;
        try
        {
            din = Din.Parse(v.Din, field + ".din");
        }
        catch (DomainValidationException ex)
        {
            throw new DomainValidationException(field + ".din", ex.Errors[0].Message);
        }

        var n = v.Normal();
        if (n.ProductCode.Length > 20 || n.Division.Length > 10)
        {
            throw new DomainValidationException(field, "an ISBT 128 product code and division");
        }

        return n with { Din = din.Value };
    }

    // ------------------------------------------------------------------------------------------
    // Sending center: pick and pack, hand-off to the courier

    /// <summary>
    /// Picks the vials and packs them into a dry shipper. Each vial must be in this center's bank,
    /// released, unflagged, unexpired at the planned arrival, in a box position, and of the request;
    /// the bank reserves it for the shipment (its own transition, custody event and journal entry).
    /// The shipper must be charged since its last trip, qualified within the center's
    /// requalification interval, and hold at least the planned transit time (reference/network/shipments.md).
    /// </summary>
    public async Task<Shipment> PackAsync(Actor actor, string id, string shipperSerial, double plannedTransitHours, IReadOnlyList<VialIdentity> picked,
        int? expectedVersion = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.NetworkShipmentPack);
        var center = Center();
        if (!double.IsFinite(plannedTransitHours) || plannedTransitHours <= 0 || plannedTransitHours > MaxTransitHours)
        {
            throw new DomainValidationException("plannedTransitHours",
                $"the planned transit time in hours, door to door with delays allowed for (more than 0, at most {MaxTransitHours.ToString(CultureInfo.InvariantCulture)})");
        }

        if (picked is null || picked.Count == 0)
        {
            // OpenSpecimen's invariant: an empty shipment is not shipped.
            throw new DomainValidationException("vials", "pick at least one vial");
        }

        if (picked.Count > 1_000)
        {
            throw new DomainValidationException("vials", "at most 1000 vials per shipment");
        }

        var identities = picked.Select((v, i) => Identity(v, $"vials[{i}]")).ToList();
        if (identities.Distinct().Count() != identities.Count)
        {
            throw new DomainValidationException("vials", "a vial is picked twice");
        }

        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<IShipmentStore>();
        var shipment = await FindForAsync(store, id, center, ShipmentSide.Sender, expectedVersion, ct);
        if (shipment.Sender.State != ShipmentState.Requested)
        {
            throw new RuleViolationException($"shipment {id} is {ShipmentJson.Name(shipment.State)}; only a requested shipment is packed");
        }

        CheckAgainstRequest(shipment.Request, identities);
        var settings = await store.FindSettingsAsync(ct)
            ?? throw new RuleViolationException("QA has not set this center's shipment settings (requalification interval, logging interval); no shipper can be packed");
        var now = clock.UtcNow;
        var shipper = await store.FindShipperAsync((shipperSerial ?? "").Trim().ToUpperInvariant(), ct)
            ?? throw new DomainValidationException("shipperSerial", $"no dry shipper {shipperSerial} at this center");
        var snapshot = CheckShipper(shipper, settings, plannedTransitHours, now);

        var bankStore = uow.Store<IBankStore>();
        var items = new List<ShippedVial>();
        var lots = new Dictionary<long, LotLineage>();
        var limit = double.MaxValue;
        string? limitSource = null;
        var arrival = now + TimeSpan.FromHours(plannedTransitHours);
        foreach (var (v, i) in identities.Select((v, i) => (v, i)))
        {
            var vial = await bankStore.FindVialByIdentityAsync(v.Din, v.ProductCode, v.Division, ct)
                ?? throw new DomainValidationException($"vials[{i}]", $"vial {v} is not in this center's bank");
            if (vial.BoxId is null)
            {
                throw new RuleViolationException($"vial {v} has no storage position at this center; only stored vials are picked");
            }

            if (vial.ExpiresAt <= arrival)
            {
                throw new RuleViolationException($"vial {v} expires at {JournalTime.ToText(vial.ExpiresAt)}, before the planned arrival {JournalTime.ToText(arrival)}");
            }

            var product = await bankStore.FindProductAsync(vial.ProductCode, ct) ?? throw new NotFoundException($"no product {vial.ProductCode}");
            if (!product.Storage.Frozen)
            {
                throw new RuleViolationException($"product {product.Code} is stored {product.Storage.Name}; a dry vapour shipper carries cryopreserved products only");
            }

            if (product.StorageMaxCelsius < limit)
            {
                limit = product.StorageMaxCelsius;
                limitSource = $"product {product.Code}: {product.Storage.Source}";
            }

            var lineage = await bankStore.LineageAsync(vial.Id, ct) ?? throw new NotFoundException($"no lineage for vial {v}");
            if (vial.Status != VialStatus.Released)
            {
                throw new RuleViolationException($"vial {v} is {Lifecycle.Name(vial.Status)}; only released, available vials are packed");
            }

            // The bank's own transition: lifecycle, flags, expiry, consent and eligibility, custody event and journal entry.
            await vials.ReserveInAsync(uow, actor, vial.Id, $"shipment {id} to {shipment.ReceiverCenter}", ct);
            items.Add(new ShippedVial(vial.Din, vial.ProductCode, vial.Division, lineage.Lot.LotNumber, lineage.Line.Code, vial.ExpiresAt));
            if (!lots.ContainsKey(vial.LotId))
            {
                // The lineage travels with the lot (ADR 0031): codes, typing, intended use, the signed eligibility determination; never the donor.
                lots[vial.LotId] = await receivedLots.LineageForShipmentAsync(uow, vial.Id, center, ct);
            }
        }

        if (!await store.UpdateShipperAsync(shipper with { PackedIn = id }, shipper.Version, ct))
        {
            throw new ConflictException($"dry shipper {shipper.Serial} was changed by someone else; reload it");
        }

        var packed = shipment with
        {
            Sender = shipment.Sender with
            {
                State = ShipmentState.Packed,
                Items = items,
                Shipper = snapshot,
                PlannedTransitHours = plannedTransitHours,
                TemperatureLimitCelsius = limit,
                LimitSource = limitSource,
                PackedAt = now,
                PackedBy = actor.UserName,
                Lots = [.. lots.Values],
                Decision = null,
            },
        };
        await SaveAsync(uow, shipment, packed, actor.UserName, "packed", new
        {
            id,
            vials = items.Select(i => i.Identity.ToString()),
            shipper = snapshot.Serial,
            qualifiedAt = JournalTime.ToText(snapshot.QualifiedAt),
            qualifiedHoldHours = snapshot.QualifiedHoldHours,
            chargedAt = JournalTime.ToText(snapshot.ChargedAt),
            remainingHoldHours = HoldTime.Remaining(snapshot, now).TotalHours,
            plannedTransitHours,
            temperatureLimitCelsius = limit,
        }, null, ShipmentSide.Sender, now, ct);
        await uow.CommitAsync(ct);
        return packed with { Version = shipment.Version + 1 };
    }

    private static void CheckAgainstRequest(ShipmentRequest request, IReadOnlyList<VialIdentity> picked)
    {
        foreach (var group in picked.GroupBy(v => v.ProductCode))
        {
            var line = request.Lines.FirstOrDefault(l => l.ProductCode == group.Key)
                ?? throw new DomainValidationException("vials", $"product {group.Key} was not requested (requested: {string.Join(", ", request.Lines.Select(l => l.ProductCode))})");
            if (group.Count() > line.Count)
            {
                throw new DomainValidationException("vials", $"{group.Count()} vials of {group.Key} picked; {line.Count} requested");
            }
        }

        var missing = request.Lines.SelectMany(l => l.Vials).Where(v => !picked.Contains(v)).ToList();
        if (missing.Count > 0)
        {
            throw new DomainValidationException("vials", $"the request names vials not picked: {string.Join(", ", missing)}");
        }
    }

    /// <summary>
    /// The shipper rules at packing (and again at the hand-off): charged since its last trip; its last
    /// qualification no older than the center's requalification interval, because hold time falls
    /// with age and in-transit events and varies up to ~40 % between units of one model
    /// (reference/network/shipments.md, Cryoport / Fisher BioServices); and the hold left now at least the planned transit.
    /// </summary>
    public static ShipperSnapshot CheckShipper(DryShipper shipper, ShipmentSettings settings, double plannedTransitHours, DateTimeOffset now,
        string? packedIn = null)
    {
        ArgumentNullException.ThrowIfNull(shipper);
        ArgumentNullException.ThrowIfNull(settings);
        if (shipper.PackedIn is { } other && other != packedIn)
        {
            throw new RuleViolationException($"dry shipper {shipper.Serial} is already packed in shipment {other}");
        }

        if (shipper.ChargedAt is not { } charged || (shipper.LastDispatchedAt is { } last && charged <= last))
        {
            throw new RuleViolationException($"dry shipper {shipper.Serial} has not been charged since its last trip; charge it and record the charge time");
        }

        var age = now - shipper.QualifiedAt;
        if (age > TimeSpan.FromDays(settings.RequalificationIntervalDays))
        {
            throw new RuleViolationException($"dry shipper {shipper.Serial} was last qualified {JournalTime.ToText(shipper.QualifiedAt)}, "
                + $"{age.TotalDays.ToString("0", CultureInfo.InvariantCulture)} days ago, beyond this center's requalification interval of "
                + $"{settings.RequalificationIntervalDays} days: a shipper's hold falls with age and use, requalify it");
        }

        var snapshot = new ShipperSnapshot(shipper.Serial, shipper.Model, shipper.QualifiedAt, shipper.QualifiedHoldHours, charged);
        var remaining = HoldTime.Remaining(snapshot, now);
        if (remaining < TimeSpan.FromHours(plannedTransitHours))
        {
            throw new RuleViolationException($"dry shipper {shipper.Serial} holds {HoldTime.Text(remaining)} more (charged {JournalTime.ToText(charged)}, "
                + $"qualified hold {shipper.QualifiedHoldHours.ToString("0.#", CultureInfo.InvariantCulture)} h), less than the planned transit of "
                + $"{plannedTransitHours.ToString("0.#", CultureInfo.InvariantCulture)} h");
        }

        return snapshot;
    }

    /// <summary>
    /// The sending center hands the packed shipper to the courier, signed with the sender's password
    /// ("handed to courier"): the hold is checked again, the bank ships each vial (custody event,
    /// journal), and the hand-off is the first link of the shipment's chain of custody.
    /// </summary>
    public async Task<Shipment> DispatchAsync(Actor actor, string id, string courier, string? trackingNumber, string password, string? note,
        int? expectedVersion = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.NetworkShipmentHandOff);
        var center = Center();
        var carrier = RequireText(courier, "courier", "the courier (company and person) taking the shipper", 200);
        var tracking = string.IsNullOrWhiteSpace(trackingNumber) ? null : Bounded(trackingNumber, "trackingNumber", 100);
        var remark = string.IsNullOrWhiteSpace(note) ? null : Bounded(note, "note", MaxText);
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<IShipmentStore>();
        var shipment = await FindForAsync(store, id, center, ShipmentSide.Sender, expectedVersion, ct);
        if (shipment.Sender.State != ShipmentState.Packed)
        {
            throw new RuleViolationException($"shipment {id} is {ShipmentJson.Name(shipment.State)}; only a packed shipment is handed to a courier");
        }

        if (shipment.Receiver.State == ShipmentState.Cancelled)
        {
            throw new RuleViolationException($"center {shipment.ReceiverCenter} cancelled shipment {id}; unpack it instead of handing it to a courier");
        }

        var now = clock.UtcNow;
        var settings = await store.FindSettingsAsync(ct) ?? throw new RuleViolationException("QA has not set this center's shipment settings");
        var shipper = await store.FindShipperAsync(shipment.Sender.Shipper!.Serial, ct) ?? throw new NotFoundException($"no dry shipper {shipment.Sender.Shipper.Serial}");
        CheckShipper(shipper, settings, shipment.Sender.PlannedTransitHours!.Value, now, packedIn: id);

        var bankStore = uow.Store<IBankStore>();
        foreach (var item in shipment.Sender.Items)
        {
            var vial = await bankStore.FindVialByIdentityAsync(item.Din, item.ProductCode, item.Division, ct) ?? throw new NotFoundException($"no vial {item.Identity}");
            await vials.ShipInAsync(uow, actor, vial.Id, $"{shipment.ReceiverCenter} (shipment {id}, courier {carrier})", ct);
            // Ownership moves with the hand-off (ADR 0031): the vial is the receiving center's now, never received or reserved here again.
            await receivedLots.RecordTransferOutAsync(uow, vial.Id, id, shipment.ReceiverCenter, ct);
        }

        var signature = await signatures.SignAsync(uow, actor, new SignatureIntent("shipment", id, "handed to courier",
            new { id, vials = shipment.Sender.Items.Select(i => i.Identity.ToString()), shipper = shipper.Serial, courier = carrier, tracking }), password, ct);
        if (!await store.UpdateShipperAsync(shipper with { PackedIn = null, LastDispatchedAt = now }, shipper.Version, ct))
        {
            throw new ConflictException($"dry shipper {shipper.Serial} was changed by someone else; reload it");
        }

        var handOff = new CustodyHandOff($"{center} {actor.UserName}", $"courier {carrier}", now, center, actor.UserName, signature.Id, remark);
        var dispatched = shipment with
        {
            Sender = shipment.Sender with
            {
                State = ShipmentState.Dispatched,
                DispatchedAt = now,
                Courier = carrier,
                TrackingNumber = tracking,
                HandOffs = [.. shipment.Sender.HandOffs, handOff],
            },
        };
        await SaveAsync(uow, shipment, dispatched, actor.UserName, "handed-to-courier",
            new { id, courier = carrier, trackingNumber = tracking, signatureId = signature.Id }, remark, ShipmentSide.Sender, now, ct);
        await uow.CommitAsync(ct);
        return dispatched with { Version = shipment.Version + 1 };
    }

    // ------------------------------------------------------------------------------------------
    // Receiving center: logger, receipt, QA

    /// <summary>Stores the shipment's temperature-logger series (read from its CSV export or sent as JSON points), replacing an earlier one.</summary>
    public async Task<int> ImportLoggerAsync(Actor actor, string id, IReadOnlyList<LoggerPoint> points, string source, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.NetworkShipmentReceive);
        var series = LoggerSeries.Validate(points);
        var center = Center();
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<IShipmentStore>();
        var shipment = await FindForAsync(store, id, center, ShipmentSide.Receiver, null, ct);
        if (shipment.Receiver.State != ShipmentState.Requested)
        {
            throw new RuleViolationException($"shipment {id} is {ShipmentJson.Name(shipment.State)}; its logger series is read before the receipt");
        }

        await store.ReplaceLoggerSeriesAsync(id, series, ct);
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("shipment", id, "logger-imported", new
        {
            id,
            source,
            points = series.Count,
            first = JournalTime.ToText(series[0].At),
            last = JournalTime.ToText(series[^1].At),
            warmestCelsius = series.Max(p => p.Celsius),
        }), ct);
        await uow.CommitAsync(ct);
        return series.Count;
    }

    /// <summary>
    /// The courier hands the shipper to the receiving center: the receiver signs ("received from
    /// courier"), the vials scanned must be the vials shipped (OpenSpecimen's invariant; differences
    /// are named and, as the receiver chooses, the receipt is refused or quarantined), and the logger
    /// series over the trip gives the temperature status. Anything but ok and the same set is quarantined.
    /// </summary>
    public async Task<Shipment> ReceiveAsync(Actor actor, string id, IReadOnlyList<VialIdentity> received, string courier, DifferenceHandling? onDifference,
        string password, string? note, int? expectedVersion = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.NetworkShipmentReceive);
        var center = Center();
        var carrier = RequireText(courier, "courier", "the courier (company and person) handing the shipper over", 200);
        var remark = string.IsNullOrWhiteSpace(note) ? null : Bounded(note, "note", MaxText);
        var scanned = (received ?? []).Select((v, i) => Identity(v, $"received[{i}]")).ToList();
        if (scanned.Count > 1_000)
        {
            throw new DomainValidationException("received", "at most 1000 vials");
        }

        if (scanned.Distinct().Count() != scanned.Count)
        {
            throw new DomainValidationException("received", "a vial is scanned twice");
        }

        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<IShipmentStore>();
        var shipment = await FindForAsync(store, id, center, ShipmentSide.Receiver, expectedVersion, ct);
        if (shipment.Receiver.State != ShipmentState.Requested
            && !(shipment.Receiver.State == ShipmentState.Cancelled && shipment.Sender.State == ShipmentState.Dispatched))
        {
            // A cancellation that crossed the sender's dispatch: the shipper is here, so it is received (and returned if unwanted).
            throw new RuleViolationException($"shipment {id} is already {ShipmentJson.Name(shipment.State)}");
        }

        if (shipment.Sender.State != ShipmentState.Dispatched || shipment.Sender.DispatchedAt is not { } dispatchedAt)
        {
            throw new RuleViolationException($"the sending center {shipment.SenderCenter} has not told this center that shipment {id} was handed to a courier; "
                + "receive it once its dispatch has arrived over the network (the network page shows the link)");
        }

        var shipped = shipment.Sender.Items.Select(i => i.Identity).ToList();
        var missing = shipped.Except(scanned).ToList();
        var unexpected = scanned.Except(shipped).ToList();
        var differs = missing.Count > 0 || unexpected.Count > 0;
        if (differs && onDifference is null)
        {
            throw new RuleViolationException("the vials received are not the vials shipped"
                + (missing.Count > 0 ? $"; missing: {string.Join(", ", missing)}" : "")
                + (unexpected.Count > 0 ? $"; not shipped: {string.Join(", ", unexpected)}" : "")
                + "; scan again, or refuse the receipt or take it into quarantine (onDifference)");
        }

        var settings = await store.FindSettingsAsync(ct) ?? throw new RuleViolationException("QA has not set this center's shipment settings (the logging interval)");
        var now = clock.UtcNow;
        var series = await store.ListLoggerSeriesAsync(id, ct);
        var classification = LoggerSeries.Classify(series, dispatchedAt, now, shipment.Sender.TemperatureLimitCelsius ?? double.NaN,
            TimeSpan.FromMinutes(settings.LoggingIntervalMinutes));
        var state = differs && onDifference == DifferenceHandling.Refuse ? ShipmentState.Refused
            : differs || classification.Status != TemperatureStatus.Ok ? ShipmentState.Quarantined
            : ShipmentState.Received;
        var signature = await signatures.SignAsync(uow, actor, new SignatureIntent("shipment", id, "received from courier", new
        {
            id,
            received = scanned.Select(v => v.ToString()),
            missing = missing.Select(v => v.ToString()),
            unexpected = unexpected.Select(v => v.ToString()),
            temperatureStatus = ShipmentJson.Name(classification.Status),
            state = ShipmentJson.Name(state),
        }), password, ct);
        var handOff = new CustodyHandOff($"courier {carrier}", $"{center} {actor.UserName}", now, center, actor.UserName, signature.Id, remark);
        var done = shipment with
        {
            Receiver = shipment.Receiver with
            {
                State = state,
                ReceivedAt = now,
                ReceivedBy = actor.UserName,
                Received = scanned,
                Missing = missing,
                Unexpected = unexpected,
                TemperatureStatus = classification.Status,
                TemperatureDetail = classification.Detail,
                LoggerPoints = classification.Points,
                HandOffs = [.. shipment.Receiver.HandOffs, handOff],
            },
        };
        await SaveAsync(uow, shipment, done, actor.UserName, ShipmentJson.Name(state), new
        {
            id,
            state = ShipmentJson.Name(state),
            missing = missing.Select(v => v.ToString()),
            unexpected = unexpected.Select(v => v.ToString()),
            temperatureStatus = ShipmentJson.Name(classification.Status),
            temperatureDetail = classification.Detail,
            signatureId = signature.Id,
        }, remark, ShipmentSide.Receiver, now, ct);
        await uow.CommitAsync(ct);
        return done with { Version = shipment.Version + 1 };
    }

    /// <summary>QA at the receiving center releases a quarantined receipt into available stock, or rejects it, with a reason and an e-signature.</summary>
    public async Task<Shipment> DecideQuarantineAsync(Actor actor, string id, bool release, string reason, string password, int? expectedVersion = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.NetworkShipmentQuarantineDecide);
        var center = Center();
        var why = RequireText(reason, "reason", "say why (the investigation of the excursion, gap or difference)");
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<IShipmentStore>();
        var shipment = await FindForAsync(store, id, center, ShipmentSide.Receiver, expectedVersion, ct);
        if (shipment.Receiver.State != ShipmentState.Quarantined)
        {
            throw new RuleViolationException($"shipment {id} is {ShipmentJson.Name(shipment.State)}; only a quarantined receipt is released or rejected");
        }

        var to = release ? ShipmentState.Released : ShipmentState.Rejected;
        var meaning = release ? "released from quarantine" : "rejected";
        var signature = await signatures.SignAsync(uow, actor, new SignatureIntent("shipment", id, meaning,
            new { id, decision = ShipmentJson.Name(to), reason = why, temperatureStatus = shipment.Receiver.TemperatureStatus }), password, ct);
        var now = clock.UtcNow;
        var decided = shipment with
        {
            Receiver = shipment.Receiver with { State = to, QaDecision = $"{meaning}: {why}", QaBy = actor.UserName, QaAt = now },
        };
        await SaveAsync(uow, shipment, decided, actor.UserName, release ? "released" : "rejected",
            new { id, signatureId = signature.Id }, why, ShipmentSide.Receiver, now, ct);
        await uow.CommitAsync(ct);
        return decided with { Version = shipment.Version + 1 };
    }

    // ------------------------------------------------------------------------------------------

    private string Center() => bank.FacilityCode
        ?? throw new RuleViolationException("this center has no ISBT 128 facility code (Center:FacilityCode); shipments between centers need it");

    private static void Read(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.NetworkShipmentRead);
    }

    private static async Task<Shipment> FindForAsync(IShipmentStore store, string id, string center, ShipmentSide side, int? expectedVersion, CancellationToken ct)
    {
        var shipment = await store.FindAsync((id ?? "").Trim(), ct) ?? throw new NotFoundException($"no shipment {id}");
        if (shipment.SideOf(center) != side)
        {
            throw new RuleViolationException($"shipment {id} goes from {shipment.SenderCenter} to {shipment.ReceiverCenter}; "
                + $"only the {(side == ShipmentSide.Sender ? "sending" : "receiving")} center does this");
        }

        if (expectedVersion is { } ev && ev != shipment.Version)
        {
            throw new ConflictException($"shipment {id} changed since you read it (version {shipment.Version}, not {ev})");
        }

        return shipment;
    }

    private static async Task SaveAsync(IUnitOfWork uow, Shipment before, Shipment after, string user, string action, object content, string? reason,
        ShipmentSide side, DateTimeOffset now, CancellationToken ct)
    {
        var changed = after with { UpdatedAt = now };
        if (!await uow.Store<IShipmentStore>().UpdateAsync(changed, before.Version, ct))
        {
            throw new ConflictException($"shipment {before.Id} was changed at the same moment; reload it");
        }

        await uow.Journal.AppendAsync(user, new JournalRecord("shipment", before.Id, action, content, reason), ct);
        await PublishAsync(uow, changed, side, now, ct);
    }

    /// <summary>Enqueues this center's whole side of the shipment (state transfer) in the caller's unit of work.</summary>
    private static Task PublishAsync(IUnitOfWork uow, Shipment shipment, ShipmentSide side, DateTimeOffset now, CancellationToken ct)
    {
        var payload = ShipmentStatePayload.Of(shipment, side);
        return uow.Store<IOutbox>().EnqueueAsync(new OutboxEvent(EventKinds.Shipment, SchemaVersion, ShipmentStatePayload.EntityKey(shipment.Id, side),
            JsonSerializer.Serialize(payload, ShipmentJson.Options)), now, ct);
    }

    private ShipmentView View(Shipment s, string center, DateTimeOffset now)
    {
        var side = s.SideOf(center) ?? ShipmentSide.Receiver;
        TimeSpan? remaining = s.Sender.Shipper is { } shipper
            ? HoldTime.Remaining(shipper, s.Receiver.ReceivedAt is { } at && at < now ? at : now)
            : null;
        return new ShipmentView(s, side, s.State, remaining?.TotalHours, remaining is { } r ? HoldTime.Text(r) : null);
    }

    private static ShipperView View(DryShipper s, DateTimeOffset now)
    {
        if (s.ChargedAt is not { } charged || (s.LastDispatchedAt is { } last && charged <= last))
        {
            return new ShipperView(s, null, null);
        }

        var remaining = HoldTime.Remaining(new ShipperSnapshot(s.Serial, s.Model, s.QualifiedAt, s.QualifiedHoldHours, charged), now);
        return new ShipperView(s, remaining.TotalHours, HoldTime.Text(remaining));
    }

    private static string RequireText(string? text, string field, string what, int max = MaxText)
    {
        var t = (text ?? "").Trim();
        if (t.Length == 0)
        {
            throw new DomainValidationException(field, what);
        }

        return t.Length > max ? throw new DomainValidationException(field, $"at most {max} characters, not {t.Length}") : t;
    }

    private static string Bounded(string text, string field, int max) => RequireText(text, field, field, max);
}
