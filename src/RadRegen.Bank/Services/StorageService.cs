using System.Globalization;
using RadRegen.Bank.Model;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;

namespace RadRegen.Bank.Services;

public sealed record CreateLocationRequest(long? ParentId, LocationKind Kind, string Name, int Rows = 0, int Columns = 0, double? MaxCelsius = null);

/// <summary>A box with its occupancy.</summary>
public sealed record BoxMap(StorageLocation Box, IReadOnlyList<StorageLocation> Path, IReadOnlyList<Vial> Vials)
{
    public int Occupied => Vials.Count;

    public Vial? At(int row, int column) => Vials.FirstOrDefault(v => v.Row == row && v.Column == column);
}

/// <summary>A storage location with its capacity and occupancy (boxes summed upwards).</summary>
public sealed record LocationOccupancy(StorageLocation Location, int Capacity, int Occupied);

/// <summary>
/// Storage: sites, tanks and freezers, racks and boxes; positions in a box; temperatures, where an
/// excursion flags the unit and every vial stored in it.
/// </summary>
public sealed class StorageService(IUnitOfWorkFactory units, IClock clock)
{
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
        if (name.Length is 0 or > 60)
        {
            errors.Add(new("name", "name it (1–60 characters)"));
        }

        if (request.Kind == LocationKind.Box && (request.Rows is < 1 or > 26 || request.Columns is < 1 or > 26))
        {
            errors.Add(new("rows", "a box has 1–26 rows and 1–26 columns"));
        }

        if (request.Kind is LocationKind.Tank or LocationKind.Freezer && request.MaxCelsius is null)
        {
            errors.Add(new("maxCelsius", "a tank or freezer needs its highest allowed temperature (e.g. −150 °C for LN2 vapour phase)"));
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
            request.Kind is LocationKind.Tank or LocationKind.Freezer ? request.MaxCelsius : null, null);
        var id = await store.InsertLocationAsync(location, ct);
        location = location with { Id = id, Path = (parent?.Path ?? "/") + id.ToString(CultureInfo.InvariantCulture) + "/" };
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("location", id.ToString(CultureInfo.InvariantCulture), "created",
            new { kind = location.Kind.ToString().ToLowerInvariant(), location.Name, parent = parent?.Name, location.Rows, location.Columns, location.MaxCelsius }),
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

    /// <summary>
    /// Records a temperature of a tank or freezer. Above its limit it is an excursion: the unit and
    /// every vial stored in it are flagged, and each flag is on the chain of custody.
    /// </summary>
    public async Task<TemperatureReading> RecordTemperatureAsync(Actor actor, long locationId, double celsius, DateTimeOffset? measuredAt = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.BankTemperatureRecord);
        if (!double.IsFinite(celsius) || celsius is < -273.15 or > 100)
        {
            throw new DomainValidationException("celsius", "a temperature in °C between −273.15 and 100");
        }

        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<IBankStore>();
        var unit = await store.FindLocationAsync(locationId, ct) ?? throw new NotFoundException($"no location {locationId}");
        if (unit.MaxCelsius is not { } max)
        {
            throw new DomainValidationException("locationId", $"{unit.Name} is not a tank or freezer");
        }

        var now = clock.UtcNow;
        var at = measuredAt ?? now;
        var excursion = celsius > max;
        var reading = new TemperatureReading(0, unit.Id, at, celsius, excursion, actor.UserName);
        reading = reading with { Id = await store.InsertReadingAsync(reading, ct) };
        var flagged = 0;
        if (excursion)
        {
            var flag = string.Create(CultureInfo.InvariantCulture, $"temperature excursion {celsius} °C > {max} °C at {unit.Name}, {JournalTime.ToText(at)[..16]}");
            await store.SetLocationFlagAsync(unit.Id, flag, ct);
            var vials = await store.FlagVialsUnderAsync(unit.Path, flag, ct);
            foreach (var id in vials)
            {
                await store.InsertCustodyAsync(new CustodyEvent(0, id, now, actor.UserName, "flagged", null, "flagged", null, null, flag), ct);
            }

            flagged = vials.Count;
        }

        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("location", unit.Id.ToString(CultureInfo.InvariantCulture),
            excursion ? "temperature-excursion" : "temperature", new { unit = unit.Name, celsius, maxCelsius = max, measuredAt = JournalTime.ToText(at), flaggedVials = flagged }),
            ct);
        await uow.CommitAsync(ct);
        return reading;
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
