using RadRegen.Core;

namespace RadRegen.Bank.Model;

/// <summary>How the bank's growing lists may be sorted (ADR 0040); the stores map each key to a column.</summary>
public static class BankLists
{
    /// <summary>Donors: by pseudonymous code (default), consent date, registration, eligibility.</summary>
    public static SortKeys Donors { get; } = new(new SortOrder("code", false), "code", "consented", "registered", "eligible");
}
