using System.Text.Json;

namespace RadRegen.Bank.Network;

/// <summary>
/// The shared state of one lot's released, allocatable stock at this center: what an
/// <c>inventory.stock</c> event carries (schema 1; ADR 0023). The whole state every time (state
/// transfer), so the newest event per lot is all a receiving center keeps. Nothing here identifies
/// a donor: no donor code, no DIN, no lot number, no line code, no vial identity. The line's HLA
/// typing goes because matching needs it; <see cref="StockRef"/> is an opaque reference the owning
/// center alone can resolve (a shipment request names it).
/// </summary>
/// <param name="StockRef">The owning center's opaque reference of the stock (<c>lot-17</c>): its database id, meaningless elsewhere.</param>
/// <param name="ProductCode">The product description code (S9102).</param>
/// <param name="ProductName">The product's name in the owning center's catalogue.</param>
/// <param name="ContainsImmuneCells">Whether graft-versus-host mismatches count when matching (<c>HlaCompatibility</c>).</param>
/// <param name="HlaGl">The line's HLA typing as a GL String (the donor's typing; null when untyped).</param>
/// <param name="Haplotype">The banked haplotype of a homozygous line, when the bank recorded one.</param>
/// <param name="Available">Vials that may be offered to a patient now (released, unexpired, unflagged, unreserved, consent standing); 0 hides the entry.</param>
/// <param name="EarliestExpiry">The soonest expiry among those vials (null when none).</param>
/// <param name="LatestExpiry">The latest expiry among those vials (null when none).</param>
/// <param name="Sites">Where the vials are, by storage site (the top of the storage tree), most first.</param>
/// <param name="Shareable">Whether the owning center consents to ship this stock to another center (its configuration, <c>Network:Inventory:Shareable</c>).</param>
/// <param name="UpdatedAt">When the owning center computed this state (the unit of work's clock).</param>
public sealed record StockPayload(
    string StockRef,
    string ProductCode,
    string ProductName,
    bool ContainsImmuneCells,
    string? HlaGl,
    string? Haplotype,
    int Available,
    DateTimeOffset? EarliestExpiry,
    DateTimeOffset? LatestExpiry,
    IReadOnlyList<StockSite> Sites,
    bool Shareable,
    DateTimeOffset UpdatedAt)
{
    /// <summary>camelCase, as every network payload (<c>OutboxEvent.PayloadJson</c>).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a payload; null when the JSON is not an object of this shape.</summary>
    public static StockPayload? FromJson(string json) => JsonSerializer.Deserialize<StockPayload>(json, Json);
}

/// <summary>Available vials of a stock at one storage site of its center.</summary>
/// <param name="Site">The site's name at the owning center (or <c>unstored</c>).</param>
public sealed record StockSite(string Site, int Available, DateTimeOffset EarliestExpiry, DateTimeOffset LatestExpiry);
