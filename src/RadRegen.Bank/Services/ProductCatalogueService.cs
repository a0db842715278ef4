using RadRegen.Bank.Catalogue;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;

namespace RadRegen.Bank.Services;

/// <summary>The product catalogue: the product types the bank makes, each with its QC specification and shelf lives.</summary>
public sealed class ProductCatalogueService(IUnitOfWorkFactory units, Network.StockPublisher stock)
{
    public async Task<IReadOnlyList<Product>> ListProductsAsync(Actor actor, CancellationToken ct = default)
    {
        BankRules.Read(actor);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await uow.Store<IBankStore>().ListProductsAsync(ct);
    }

    public async Task<Product> GetProductAsync(Actor actor, string code, CancellationToken ct = default)
    {
        BankRules.Read(actor);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await BankRules.ProductAsync(uow.Store<IBankStore>(), code, ct);
    }

    /// <summary>Adds a product or changes one (with its expected version); QA officers and admins configure the catalogue.</summary>
    public async Task<Product> SaveProductAsync(Actor actor, Product product, int? expectedVersion, string? reason, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(product);
        actor.Demand(Operation.BankCatalogueConfigure);
        product.Validate();
        BankRules.OptionalReason(reason);
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<IBankStore>();
        var existing = await store.FindProductAsync(product.Code, ct);
        Product saved;
        if (existing is null)
        {
            saved = product with { Version = 1 };
            await store.InsertProductAsync(saved, ct);
        }
        else
        {
            var v = expectedVersion ?? throw new ConflictException($"product {product.Code} exists; give its version to change it");
            if (!await store.UpdateProductAsync(product, v, ct))
            {
                throw new ConflictException($"product {product.Code} was changed by someone else (version {existing.Version}, not {v})");
            }

            saved = product with { Version = v + 1 };
        }

        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("product", saved.Code, existing is null ? "created" : "changed", saved, reason), ct);
        if (existing is not null)
        {
            // The shared stock carries the product's name and intended use decides what is available (ADR 0023).
            await stock.PublishLotsAsync(uow, await uow.Store<Network.IStockStore>().LotsOfProductAsync(saved.Code, ct), ct);
        }

        await uow.CommitAsync(ct);
        return saved;
    }

    /// <summary>Writes the seed catalogue's products that are missing (at start, by the system).</summary>
    public async Task<int> EnsureCatalogueAsync(Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.BankCatalogueSeed);
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<IBankStore>();
        var added = 0;
        foreach (var p in SeedCatalogue.Products)
        {
            if (await store.FindProductAsync(p.Code, ct) is null)
            {
                await store.InsertProductAsync(p, ct);
                await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("product", p.Code, "created", p, "seed catalogue"), ct);
                added++;
            }
        }

        await uow.CommitAsync(ct);
        return added;
    }
}
