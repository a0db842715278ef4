using System.Text.Json;
using RadRegen.Bank.Catalogue;
using RadRegen.Bank.Model;

namespace RadRegen.Storage.Bank;

/// <summary>The product catalogue: codes, shelf lives, specifications (QC tests) and doses.</summary>
internal sealed partial class SqlBankStore
{
    private const string ProductCols = "code AS Code, name AS Name, indication AS Indication, storage_max_celsius AS StorageMaxCelsius, "
        + "shelf_life_frozen_days AS ShelfLifeFrozenDays, shelf_life_thaw_hours AS ShelfLifeThawHours, dose_unit AS DoseUnit, "
        + "specification AS Specification, dose_per_vial AS DosePerVial, contains_immune_cells AS ContainsImmuneCells, storage_class AS StorageClass, "
        + "storage_source AS StorageSource, intended_use AS IntendedUse, version AS Version FROM bank_products";

    public async Task<IReadOnlyList<Product>> ListProductsAsync(CancellationToken ct) =>
        [.. (await session.QueryAsync<ProductRow>("SELECT " + ProductCols + " ORDER BY code", null, ct)).Select(r => r.ToProduct())];

    public async Task<Product?> FindProductAsync(string code, CancellationToken ct) =>
        (await session.SingleOrDefaultAsync<ProductRow>("SELECT " + ProductCols + " WHERE code = @code", new { code }, ct))?.ToProduct();

    public Task InsertProductAsync(Product product, CancellationToken ct) =>
        session.ExecuteAsync(
            "INSERT INTO bank_products (code, name, indication, storage_max_celsius, shelf_life_frozen_days, shelf_life_thaw_hours, dose_unit, specification, "
            + "dose_per_vial, contains_immune_cells, storage_class, storage_source, intended_use, version) "
            + "VALUES (@Code, @Name, @Indication, @StorageMaxCelsius, @ShelfLifeFrozenDays, @ShelfLifeAfterThawHours, @DoseUnit, @Spec, @DosePerVial, @Immune, "
            + "@StorageClass, @StorageSource, @Use, 1)",
            new
            {
                product.Code, product.Name, product.Indication, product.StorageMaxCelsius, product.ShelfLifeFrozenDays,
                product.ShelfLifeAfterThawHours, product.DoseUnit, Spec = JsonSerializer.Serialize(product.Specification, Json),
                product.DosePerVial, Immune = product.ContainsImmuneCells ? 1 : 0,
                StorageClass = product.StorageClass is { } c ? TemperatureClasses.Code(c) : null, product.StorageSource,
                Use = IntendedUses.Name(product.IntendedUse),
            }, ct);

    public async Task<bool> UpdateProductAsync(Product product, int expectedVersion, CancellationToken ct) =>
        await session.ExecuteAsync(
            "UPDATE bank_products SET name = @Name, indication = @Indication, storage_max_celsius = @StorageMaxCelsius, "
            + "shelf_life_frozen_days = @ShelfLifeFrozenDays, shelf_life_thaw_hours = @ShelfLifeAfterThawHours, dose_unit = @DoseUnit, "
            + "specification = @Spec, dose_per_vial = @DosePerVial, contains_immune_cells = @Immune, storage_class = @StorageClass, storage_source = @StorageSource, intended_use = @Use, version = version + 1 WHERE code = @Code AND version = @expectedVersion",
            new
            {
                product.Code, product.Name, product.Indication, product.StorageMaxCelsius, product.ShelfLifeFrozenDays,
                product.ShelfLifeAfterThawHours, product.DoseUnit, Spec = JsonSerializer.Serialize(product.Specification, Json),
                product.DosePerVial, Immune = product.ContainsImmuneCells ? 1 : 0, expectedVersion,
                StorageClass = product.StorageClass is { } c ? TemperatureClasses.Code(c) : null, product.StorageSource,
                Use = IntendedUses.Name(product.IntendedUse),
            }, ct) == 1;

    // ------------------------------------------------------------ rows

    private sealed class ProductRow
    {
        public string Code { get; set; } = "";

        public string Name { get; set; } = "";

        public string Indication { get; set; } = "";

        public double StorageMaxCelsius { get; set; }

        public long ShelfLifeFrozenDays { get; set; }

        public long ShelfLifeThawHours { get; set; }

        public string DoseUnit { get; set; } = "";

        public string Specification { get; set; } = "[]";

        public double DosePerVial { get; set; }

        public long ContainsImmuneCells { get; set; }

        public string? StorageClass { get; set; }

        public string? StorageSource { get; set; }

        public string IntendedUse { get; set; } = "clinical";

        public long Version { get; set; }

        public Product ToProduct() => new(Code, Name, Indication, StorageMaxCelsius, (int)ShelfLifeFrozenDays, (int)ShelfLifeThawHours, DoseUnit,
            JsonSerializer.Deserialize<List<QcTest>>(Specification, Json) ?? [], (int)Version)
        {
            DosePerVial = DosePerVial,
            ContainsImmuneCells = ContainsImmuneCells != 0,
            StorageClass = StorageClass is null ? null : TemperatureClasses.Parse(StorageClass, "storageClass"),
            StorageSource = StorageSource,
            IntendedUse = IntendedUses.Parse(IntendedUse),
        };
    }
}
