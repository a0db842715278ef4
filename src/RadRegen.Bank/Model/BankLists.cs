using RadRegen.Core;

namespace RadRegen.Bank.Model;

/// <summary>How the bank's growing lists may be sorted (ADR 0040); the stores map each key to a column.</summary>
public static class BankLists
{
    /// <summary>Donors: by pseudonymous code (default), consent date, registration, eligibility.</summary>
    public static SortKeys Donors { get; } = new(new SortOrder("code", false), "code", "consented", "registered", "eligible");

    /// <summary>Lines: by code (default), donor code, creation, passage.</summary>
    public static SortKeys Lines { get; } = new(new SortOrder("code", false), "code", "donor", "created", "passage");

    /// <summary>Lots: newest first by default; by lot number, product, status, manufacture, expiry.</summary>
    public static SortKeys Lots { get; } = new(new SortOrder("manufactured", true), "lot", "product", "status", "manufactured", "expires");

    /// <summary>
    /// Vials (the inventory): soonest expiry first by default (what to use first); by identity (DIN, product,
    /// division), lot number, product, stored status, expiry, storage place (box, then position).
    /// </summary>
    public static SortKeys Vials { get; } = new(new SortOrder("expires", false), "identity", "lot", "product", "status", "expires", "location");
}
