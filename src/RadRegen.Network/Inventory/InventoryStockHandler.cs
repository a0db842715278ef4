using System.Text.Json;
using RadRegen.Bank.Network;
using RadRegen.Core;
using RadRegen.Network.Events;

namespace RadRegen.Network.Inventory;

/// <summary>
/// Applies other centers' <c>inventory.stock</c> events to this center's read model of their stock
/// (issue 13 item 2, ADR 0023). The network consumer has checked the event is newer than what it
/// applied for the entity, so this only maps the whole state to its row; a payload it cannot accept
/// is refused with the field and the rule (the consumer parks it, nothing applied).
/// </summary>
public sealed class InventoryStockHandler(IClock clock) : INetworkEventHandler
{
    /// <summary>Longest text kept from another center (names, product codes, typings), so a faulty sender cannot fill the database.</summary>
    public const int MaxText = 2000;

    /// <summary>Most storage sites one stock may list.</summary>
    public const int MaxSites = 100;

    public string Kind => EventKinds.InventoryStock;

    public IReadOnlySet<int> SchemaVersions { get; } = new HashSet<int> { StockPublisher.SchemaVersion };

    public async Task ApplyAsync(IUnitOfWork unitOfWork, NetworkEnvelope envelope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unitOfWork);
        ArgumentNullException.ThrowIfNull(envelope);
        var state = Read(envelope);
        await unitOfWork.Store<INetworkStockStore>().UpsertAsync(
            new NetworkStockEntry(envelope.SourceCenter, envelope.EntityKey, state, envelope.EntityVersion, clock.UtcNow), cancellationToken);
    }

    /// <summary>The payload of an envelope, checked: the whole state or a <see cref="DomainValidationException"/> naming what is wrong.</summary>
    public static StockPayload Read(NetworkEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        StockPayload? state;
        try
        {
            state = StockPayload.FromJson(envelope.PayloadJson);
        }
        catch (JsonException ex)
        {
            throw new DomainValidationException("payload", $"an inventory.stock payload is a JSON object of schema {StockPublisher.SchemaVersion}: {ex.Message}");
        }

        if (state is null)
        {
            throw new DomainValidationException("payload", "an inventory.stock payload is a JSON object, not null");
        }

        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(state.StockRef) || envelope.EntityKey != "stock/" + state.StockRef)
        {
            errors.Add(new("stockRef", $"the stock reference names the event's entity ('{envelope.EntityKey}' is stock/<stockRef>)"));
        }

        if (string.IsNullOrWhiteSpace(state.ProductCode) || state.ProductCode.Length > 20)
        {
            errors.Add(new("productCode", "a product code of 1 to 20 characters"));
        }

        if (state.ProductName is null || state.ProductName.Length > MaxText || (state.HlaGl?.Length ?? 0) > MaxText || (state.Haplotype?.Length ?? 0) > MaxText)
        {
            errors.Add(new("productName", $"a product name, HLA typing and haplotype of at most {MaxText} characters"));
        }

        if (state.Available < 0)
        {
            errors.Add(new("available", "a count of vials, 0 or more"));
        }

        if (state.Sites is null || state.Sites.Count > MaxSites || state.Sites.Any(s => s is null || s.Available <= 0 || string.IsNullOrWhiteSpace(s.Site) || s.Site.Length > MaxText))
        {
            errors.Add(new("sites", $"at most {MaxSites} named sites, each with vials"));
        }
        else if (state.Sites.Sum(s => s.Available) != state.Available)
        {
            errors.Add(new("sites", $"the sites' vials add up to the available count ({state.Available})"));
        }

        if (state.Available > 0 && (state.EarliestExpiry is null || state.LatestExpiry is null || state.EarliestExpiry > state.LatestExpiry))
        {
            errors.Add(new("earliestExpiry", "available stock has an earliest expiry no later than its latest"));
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        return state;
    }
}
