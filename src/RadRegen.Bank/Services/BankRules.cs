using System.Text.RegularExpressions;
using RadRegen.Bank.Catalogue;
using RadRegen.Bank.Model;
using RadRegen.Core;
using RadRegen.Core.Access;

namespace RadRegen.Bank.Services;

/// <summary>The small rules every bank feature shares: reading needs <c>bank.read</c>, reasons, lookups, usable donors, codes.</summary>
internal static partial class BankRules
{
    /// <summary>Everyone may read the bank (<see cref="Operation.BankRead"/>); an actor is still required.</summary>
    public static void Read(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.BankRead);
    }

    /// <summary>
    /// A required reason (or note, closure, destination: what a person types and the journal keeps),
    /// at most <see cref="Limits.FreeText"/> (issue 12 item 8; the bank's own 500 before).
    /// </summary>
    public static void RequireReason(string? reason, string field = "reason")
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainValidationException(field, "give a reason (it is recorded on the journal)");
        }

        new InputLimits().Text(field, reason, Limits.FreeText).ThrowIfAny();
    }

    /// <summary>An optional reason (a creation's, journaled with it) within <see cref="Limits.FreeText"/>.</summary>
    public static void OptionalReason(string? reason) => new InputLimits().Text("reason", reason, Limits.FreeText).ThrowIfAny();

    public static async Task<Product> ProductAsync(IBankStore store, string code, CancellationToken ct) =>
        await store.FindProductAsync((code ?? "").Trim().ToUpperInvariant(), ct)
        ?? throw new DomainValidationException("productCode", $"unknown product code '{code}'");

    public static async Task<Donor> DonorAsync(IBankStore store, long id, CancellationToken ct) =>
        await store.FindDonorAsync(id, ct) ?? throw new NotFoundException($"no donor {id}");

    /// <summary>Nothing new is made from, reserved or released from the material of a donor who withdrew consent.</summary>
    public static void UsableDonor(Donor donor, string what)
    {
        if (donor.ConsentWithdrawn)
        {
            throw new RuleViolationException($"donor {donor.Code} withdrew consent: {what} cannot be made from this material");
        }
    }

    /// <summary>Donor, line and bank codes: 3–20 upper-case letters, digits or '-'.</summary>
    [GeneratedRegex("^[A-Z0-9][A-Z0-9-]{2,19}$")]
    public static partial Regex CodePattern();
}
