using System.Globalization;
using RadRegen.Bank.Catalogue;
using RadRegen.Bank.Model;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;

namespace RadRegen.Bank.Services;

/// <param name="MaxCelsius">A tank's or freezer's highest allowed temperature (its alarm limit).</param>
/// <param name="Class">A tank's or freezer's temperature class (null: the class its <paramref name="MaxCelsius"/> belongs to).</param>
public sealed record CreateLocationRequest(long? ParentId, LocationKind Kind, string Name, int Rows = 0, int Columns = 0, double? MaxCelsius = null,
    TemperatureClass? Class = null);

/// <summary>A reading as recorded, with the excursion it opened (if it was outside the unit's range).</summary>
public sealed record TemperatureRecorded(TemperatureReading Reading, Excursion? Excursion);

/// <summary>A box with its occupancy.</summary>
public sealed record BoxMap(StorageLocation Box, IReadOnlyList<StorageLocation> Path, IReadOnlyList<Vial> Vials)
{
    public int Occupied => Vials.Count;

    public Vial? At(int row, int column) => Vials.FirstOrDefault(v => v.Row == row && v.Column == column);
}

/// <summary>A storage location with its capacity and occupancy (boxes summed upwards).</summary>
public sealed record LocationOccupancy(StorageLocation Location, int Capacity, int Occupied);

/// <summary>
/// Storage: sites, tanks and freezers (each of a temperature class), racks and boxes; positions in a
/// box, only for products whose class the unit fits; temperatures, where a reading the unit cannot
/// show needs confirmation and an excursion flags the unit and every vial stored in it until QA
/// resolves it with an e-signature (ADR 0017).
/// </summary>
public sealed class StorageService(IUnitOfWorkFactory units, IClock clock, SignatureService signatures, Network.StockPublisher stock)
{
    /// <summary>Absolute zero: no temperature is below it (bad input, whatever is confirmed).</summary>
    public const double AbsoluteZeroCelsius = -273.15;

    private static readonly Dictionary<LocationKind, LocationKind[]> ParentKinds = new()
    {
        [LocationKind.Site] = [],
        [LocationKind.Tank] = [LocationKind.Site],
        [LocationKind.Freezer] = [LocationKind.Site],
        [LocationKind.Rack] = [LocationKind.Tank, LocationKind.Freezer],
        [LocationKind.Box] = [LocationKind.Rack],
    };

    public async Task<StorageLocation> CreateLocationAsync(Actor actor, CreateLocationRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        actor.Demand(Operation.BankStorageSetUp);
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var location = await InsertLocationAsync(uow, actor, request, ct);
        await uow.CommitAsync(ct);
        return location;
    }

    internal static async Task<StorageLocation> InsertLocationAsync(IUnitOfWork uow, Actor actor, CreateLocationRequest request, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var name = (request.Name ?? "").Trim();
        if (name.Length is 0)
        {
            errors.Add(new("name", "name it"));
        }

        // Issue 12 item 8: a location's name is a short name (Core.Limits; 60 before), shown in paths and box maps.
        new InputLimits(errors).Text("name", name, Limits.ShortName);

        if (request.Kind == LocationKind.Box && (request.Rows is < 1 or > 26 || request.Columns is < 1 or > 26))
        {
            errors.Add(new("rows", "a box has 1–26 rows and 1–26 columns"));
        }

        var isUnit = request.Kind is LocationKind.Tank or LocationKind.Freezer;
        TemperatureClassSpec? cls = null;
        if (isUnit && request.MaxCelsius is null)
        {
            errors.Add(new("maxCelsius", "a tank or freezer needs its highest allowed temperature (e.g. −150 °C for LN2 vapour phase)"));
        }
        else if (isUnit && !double.IsFinite(request.MaxCelsius!.Value))
        {
            errors.Add(new("maxCelsius", "a temperature in °C"));
        }
        else if (isUnit)
        {
            cls = TemperatureClasses.Of(request.Class ?? TemperatureClasses.ForLimit(request.MaxCelsius!.Value));
            if (request.MaxCelsius > cls.Warmest || (cls.Coldest is { } lo && request.MaxCelsius <= lo))
            {
                errors.Add(new("maxCelsius", $"a unit of the class {cls.Name} has its limit at most {TemperatureClasses.Celsius(cls.Warmest)}"
                    + (cls.Coldest is { } c ? $" and above {TemperatureClasses.Celsius(c)}" : "") + $" ({cls.Source})"));
            }
        }
        else if (request.Class is not null)
        {
            errors.Add(new("class", "only a tank or freezer has a temperature class"));
        }

        var store = uow.Store<IBankStore>();
        StorageLocation? parent = null;
        if (request.Kind == LocationKind.Site)
        {
            if (request.ParentId is not null)
            {
                errors.Add(new("parentId", "a site is not inside anything"));
            }
        }
        else if (request.ParentId is not { } pid || (parent = await store.FindLocationAsync(pid, ct)) is null)
        {
            errors.Add(new("parentId", $"a {request.Kind.ToString().ToLowerInvariant()} goes inside an existing location"));
        }
        else if (!ParentKinds[request.Kind].Contains(parent.Kind))
        {
            errors.Add(new("parentId",
                $"a {request.Kind.ToString().ToLowerInvariant()} goes inside a {string.Join(" or ", ParentKinds[request.Kind].Select(k => k.ToString().ToLowerInvariant()))}, not a {parent.Kind.ToString().ToLowerInvariant()}"));
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        var isBox = request.Kind == LocationKind.Box;
        var location = new StorageLocation(0, parent?.Id, request.Kind, name, parent?.Path ?? "/", isBox ? request.Rows : 0, isBox ? request.Columns : 0,
            isUnit ? request.MaxCelsius : null, null) { Class = cls?.Class };
        var id = await store.InsertLocationAsync(location, ct);
        location = location with { Id = id, Path = (parent?.Path ?? "/") + id.ToString(CultureInfo.InvariantCulture) + "/" };
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("location", id.ToString(CultureInfo.InvariantCulture), "created",
            new
            {
                kind = location.Kind.ToString().ToLowerInvariant(), location.Name, parent = parent?.Name, location.Rows, location.Columns, location.MaxCelsius,
                temperatureClass = cls?.Code,
            }),
            ct);
        return location;
    }

    public async Task<IReadOnlyList<LocationOccupancy>> ListLocationsAsync(Actor actor, CancellationToken ct = default)
    {
        BankRules.Read(actor);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        var store = uow.Store<IBankStore>();
        var all = await store.ListLocationsAsync(ct);
        var boxCounts = new Dictionary<long, int>();
        foreach (var box in all.Where(l => l.Kind == LocationKind.Box))
        {
            boxCounts[box.Id] = await store.CountVialsInBoxAsync(box.Id, ct);
        }

        return [.. all.Select(l =>
        {
            var boxes = all.Where(b => b.Kind == LocationKind.Box && b.Path.StartsWith(l.Path, StringComparison.Ordinal)).ToList();
            return new LocationOccupancy(l, boxes.Sum(b => b.Capacity), boxes.Sum(b => boxCounts[b.Id]));
        })];
    }

    public async Task<BoxMap> GetBoxAsync(Actor actor, long boxId, CancellationToken ct = default)
    {
        BankRules.Read(actor);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        var store = uow.Store<IBankStore>();
        var box = await store.FindLocationAsync(boxId, ct) ?? throw new NotFoundException($"no box {boxId}");
        if (box.Kind != LocationKind.Box)
        {
            throw new NotFoundException($"location {boxId} is a {box.Kind.ToString().ToLowerInvariant()}, not a box");
        }

        var path = new List<StorageLocation>();
        foreach (var part in box.Path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            path.Add((await store.FindLocationAsync(long.Parse(part, CultureInfo.InvariantCulture), ct))!);
        }

        return new BoxMap(box, path, await store.ListVialsInBoxAsync(boxId, ct));
    }

    /// <summary>Records a temperature that needs no confirmation (see the overload with <c>confirm</c>).</summary>
    public async Task<TemperatureReading> RecordTemperatureAsync(Actor actor, long locationId, double celsius, DateTimeOffset? measuredAt = null,
        CancellationToken ct = default) =>
        (await RecordTemperatureAsync(actor, locationId, celsius, measuredAt, confirm: false, ct)).Reading;

    /// <summary>
    /// Records a temperature of a tank or freezer. Below absolute zero it is bad input. A reading the
    /// unit cannot physically show (outside its class's plausible band, e.g. +200 °C on an LN2 tank:
    /// a typo or a sensor fault) is refused unless <paramref name="confirm"/> (400 naming
    /// <c>confirm</c>). Outside the unit's range it is an excursion: a record of its own that flags
    /// the unit and every live vial stored in it ("excursion #N on tank X at T, awaiting QA
    /// assessment"), each flag on the chain of custody, until QA resolves it.
    /// </summary>
    public async Task<TemperatureRecorded> RecordTemperatureAsync(Actor actor, long locationId, double celsius, DateTimeOffset? measuredAt, bool confirm,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.BankTemperatureRecord);
        if (!double.IsFinite(celsius) || celsius < AbsoluteZeroCelsius)
        {
            throw new DomainValidationException("celsius", "a temperature in °C, not below absolute zero (−273.15 °C)");
        }

        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<IBankStore>();
        var unit = await store.FindLocationAsync(locationId, ct) ?? throw new NotFoundException($"no location {locationId}");
        if (unit.MaxCelsius is not { } max || StorageUnits.ClassOf(unit) is not { } cls)
        {
            throw new DomainValidationException("locationId", $"{unit.Name} is not a tank or freezer");
        }

        var implausible = celsius < cls.PlausibleLow || celsius > cls.PlausibleHigh;
        if (implausible && !confirm)
        {
            throw new DomainValidationException("confirm", string.Create(CultureInfo.InvariantCulture,
                $"{TemperatureClasses.Celsius(celsius)} is far outside what {unit.Name} ({cls.Name}) can show (plausible {TemperatureClasses.Celsius(cls.PlausibleLow)} to {TemperatureClasses.Celsius(cls.PlausibleHigh)}): check the sign and the sensor, and send confirm=true to record it as measured"));
        }

        var now = clock.UtcNow;
        var at = measuredAt ?? now;
        var min = cls.Coldest;
        var excursion = celsius > max || (min is { } lo && celsius < lo);
        var reading = new TemperatureReading(0, unit.Id, at, celsius, excursion, actor.UserName) { Confirmed = implausible };
        reading = reading with { Id = await store.InsertReadingAsync(reading, ct) };
        Excursion? opened = null;
        if (excursion)
        {
            opened = new Excursion(0, unit.Id, reading.Id, unit.Name, celsius, at, max, min, "", ExcursionStatus.Open, now, actor.UserName, []);
            var id = await store.InsertExcursionAsync(opened, ct);
            var flag = Excursion.FlagText(id, unit, at, celsius, max, min);
            await store.SetLocationFlagAsync(unit.Id, flag, ct);
            var vials = await store.FlagVialsUnderAsync(unit.Path, flag, ct);
            await store.SetExcursionFlagAsync(id, flag, vials, ct);
            foreach (var vialId in vials)
            {
                await store.InsertCustodyAsync(new CustodyEvent(0, vialId, now, actor.UserName, "flagged", null, "flagged", null, null, flag), ct);
            }

            opened = opened with { Id = id, Flag = flag, VialIds = vials };
            await stock.PublishLotsAsync(uow, await uow.Store<Network.IStockStore>().LotsOfVialsAsync(vials, ct), ct);
            await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("excursion", id.ToString(CultureInfo.InvariantCulture), "opened",
                new { unit = unit.Name, celsius, maxCelsius = max, minCelsius = min, measuredAt = JournalTime.ToText(at), flaggedVials = vials.Count, flag }), ct);
        }

        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("location", unit.Id.ToString(CultureInfo.InvariantCulture),
            excursion ? "temperature-excursion" : "temperature",
            new
            {
                unit = unit.Name, celsius, maxCelsius = max, minCelsius = min, measuredAt = JournalTime.ToText(at), flaggedVials = opened?.VialIds.Count ?? 0,
                excursion = opened?.Id, confirmedImplausible = implausible,
            }), ct);
        await uow.CommitAsync(ct);
        return new TemperatureRecorded(reading, opened);
    }

    /// <summary>
    /// A QA officer assesses an open excursion and resolves it with an e-signature (meaning "excursion
    /// returned to use" or "excursion discarded"): returned to use takes its flag off the unit and
    /// the vials (other flags stay); discarded discards every vial it flagged that is still live.
    /// The excursion, its reading, the flags' custody events and the signature stay as they were.
    /// </summary>
    public async Task<Excursion> ResolveExcursionAsync(Actor actor, long excursionId, string outcome, string assessment, string password,
        int? expectedVersion = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.BankExcursionResolve);
        new InputLimits().Text("outcome", outcome, Limits.ShortName).ThrowIfAny();
        var chosen = ExcursionOutcomes.All.FirstOrDefault(o => string.Equals(o, (outcome ?? "").Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new DomainValidationException("outcome", $"the outcome is one of {string.Join(", ", ExcursionOutcomes.All.Select(o => $"'{o}'"))}, not '{outcome}'");
        if (string.IsNullOrWhiteSpace(assessment))
        {
            throw new DomainValidationException("assessment", "state QA's assessment of the excursion (it is signed and journaled)");
        }

        // Issue 12 item 8: QA's assessment is free text (Core.Limits; 1,000 before).
        new InputLimits().Text("assessment", assessment, Limits.FreeText).ThrowIfAny();

        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<IBankStore>();
        var e = await store.FindExcursionAsync(excursionId, ct) ?? throw new NotFoundException($"no excursion {excursionId}");
        if (expectedVersion is { } ev && ev != e.Version)
        {
            throw new ConflictException($"excursion {e.Id} changed since you read it (version {e.Version}, not {ev})");
        }

        if (e.Status == ExcursionStatus.Resolved)
        {
            throw new RuleViolationException($"excursion #{e.Id} was resolved already ({e.Outcome}, by {e.ResolvedBy})");
        }

        var now = clock.UtcNow;
        var text = assessment.Trim();
        var signature = await signatures.SignAsync(uow, actor, new SignatureIntent("excursion", e.Id.ToString(CultureInfo.InvariantCulture), $"excursion {chosen}",
            new { excursion = e.Id, unit = e.UnitName, e.Celsius, measuredAt = JournalTime.ToText(e.MeasuredAt), e.MaxCelsius, e.MinCelsius, vials = e.VialIds, outcome = chosen, assessment = text }),
            password, ct);
        var resolved = e with { Status = ExcursionStatus.Resolved, Outcome = chosen, Assessment = text, ResolvedAt = now, ResolvedBy = actor.UserName, SignatureId = signature.Id };
        if (!await store.ResolveExcursionAsync(resolved, e.Version, ct))
        {
            throw new ConflictException($"excursion {e.Id} was changed by someone else");
        }

        var reason = $"excursion #{e.Id} {chosen} by QA: {text}";
        var changed = 0;
        foreach (var vialId in e.VialIds)
        {
            var v = await store.FindVialAsync(vialId, ct);
            if (v is null || Lifecycle.IsTerminal(v.Status))
            {
                continue;
            }

            var unflagged = v with { Flag = Excursion.WithoutFlag(v.Flag, e.Flag) };
            var after = chosen == ExcursionOutcomes.Discarded
                ? unflagged with { Status = VialStatus.Discarded, BoxId = null, Row = null, Column = null }
                : unflagged;
            await VialService.WriteTransitionAsync(uow, actor, v, after, chosen == ExcursionOutcomes.Discarded ? "discarded" : "returned-to-use", reason, now, ct);
            changed++;
        }

        var unit = await store.FindLocationAsync(e.LocationId, ct);
        if (unit?.Flag == e.Flag)
        {
            var stillOpen = (await store.ListExcursionsAsync(e.LocationId, ExcursionStatus.Open, null, ct)).FirstOrDefault(o => o.Id != e.Id);
            await store.SetLocationFlagAsync(e.LocationId, stillOpen?.Flag, ct);
        }

        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("excursion", e.Id.ToString(CultureInfo.InvariantCulture), "resolved",
            new { unit = e.UnitName, outcome = chosen, vials = changed, signature = signature.Id, recordHash = signature.RecordHash }, text), ct);
        await stock.PublishLotsAsync(uow, await uow.Store<Network.IStockStore>().LotsOfVialsAsync(e.VialIds, ct), ct);
        await uow.CommitAsync(ct);
        return resolved with { Version = e.Version + 1 };
    }

    /// <summary>Excursions, newest first: of a unit, in a status, or that flagged a vial (null filters do not filter).</summary>
    public async Task<IReadOnlyList<Excursion>> ListExcursionsAsync(Actor actor, long? locationId = null, ExcursionStatus? status = null, long? vialId = null,
        CancellationToken ct = default)
    {
        BankRules.Read(actor);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await uow.Store<IBankStore>().ListExcursionsAsync(locationId, status, vialId, ct);
    }

    /// <summary>Released, unexpired vials held back from allocation by a flag, each with its flag (why): at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<InventoryItem>> ListFlaggedStockAsync(Actor actor, int limit = 200, CancellationToken ct = default)
    {
        BankRules.Read(actor);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await uow.Store<IBankStore>().ListFlaggedStockAsync(clock.UtcNow, Math.Clamp(limit, 1, 1000), ct);
    }

    public async Task<Excursion> GetExcursionAsync(Actor actor, long excursionId, CancellationToken ct = default)
    {
        BankRules.Read(actor);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await uow.Store<IBankStore>().FindExcursionAsync(excursionId, ct) ?? throw new NotFoundException($"no excursion {excursionId}");
    }

    /// <summary>
    /// A product goes only into a unit whose temperature class fits it (the product's class, or a
    /// colder one for a frozen product): 400 naming <c>boxId</c> otherwise, with the product's
    /// storage condition and its source.
    /// </summary>
    internal static async Task CheckFitsAsync(IBankStore store, Product product, long boxId, CancellationToken ct)
    {
        var box = await store.FindLocationAsync(boxId, ct) ?? throw new NotFoundException($"no box {boxId}");
        StorageLocation? unit = null;
        foreach (var part in box.Path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var l = await store.FindLocationAsync(long.Parse(part, CultureInfo.InvariantCulture), ct);
            if (l?.MaxCelsius is not null)
            {
                unit = l;
            }
        }

        var need = product.Storage;
        if (unit is null || StorageUnits.ClassOf(unit) is not { } has)
        {
            throw new DomainValidationException("boxId", $"box {box.Name} is not in a tank or freezer; {product.Code} needs {need.Name} ({product.StorageCitation})");
        }

        if (!need.Accepts(has))
        {
            throw new DomainValidationException("boxId",
                $"{product.Code} {product.Name} needs {need.Name} ({product.StorageCitation}); box {box.Name} is in {unit.Kind.ToString().ToLowerInvariant()} {unit.Name}, {has.Name}");
        }
    }

    public async Task<IReadOnlyList<TemperatureReading>> ListTemperaturesAsync(Actor actor, long locationId, CancellationToken ct = default)
    {
        BankRules.Read(actor);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await uow.Store<IBankStore>().ListReadingsAsync(locationId, 200, ct);
    }

    internal static async Task CheckPositionAsync(IBankStore store, long boxId, int row, int column, CancellationToken ct)
    {
        var box = await store.FindLocationAsync(boxId, ct) ?? throw new NotFoundException($"no box {boxId}");
        if (box.Kind != LocationKind.Box)
        {
            throw new DomainValidationException("boxId", $"{box.Name} is a {box.Kind.ToString().ToLowerInvariant()}, not a box");
        }

        if (row < 1 || row > box.Rows || column < 1 || column > box.Columns)
        {
            throw new DomainValidationException("position",
                string.Create(CultureInfo.InvariantCulture, $"row {row}, column {column} is outside box {box.Name} ({box.Rows} rows × {box.Columns} columns)"));
        }

        if (await store.FindVialAtAsync(boxId, row, column, ct) is { } other)
        {
            throw new ConflictException($"position {Positions.Label(row, column)} of box {box.Name} holds vial {other.Identity}");
        }
    }

    internal static async Task<List<(int Row, int Column)>> FreePositionsAsync(IBankStore store, long boxId, int count, CancellationToken ct)
    {
        var box = await store.FindLocationAsync(boxId, ct) ?? throw new NotFoundException($"no box {boxId}");
        if (box.Kind != LocationKind.Box)
        {
            throw new DomainValidationException("boxId", $"{box.Name} is not a box");
        }

        var taken = (await store.ListVialsInBoxAsync(boxId, ct)).Select(v => (v.Row!.Value, v.Column!.Value)).ToHashSet();
        var free = new List<(int, int)>();
        for (var r = 1; r <= box.Rows && free.Count < count; r++)
        {
            for (var c = 1; c <= box.Columns && free.Count < count; c++)
            {
                if (!taken.Contains((r, c)))
                {
                    free.Add((r, c));
                }
            }
        }

        if (free.Count < count)
        {
            throw new ConflictException($"box {box.Name} has {free.Count} free positions, not {count}");
        }

        return free;
    }
}
