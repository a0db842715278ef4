using RadRegen.Core;

namespace RadRegen.Bank.Model;

/// <summary>
/// The vial lifecycle: quarantine → released → reserved → shipped → received → thawed →
/// administered, or discarded, or expired. Every other move is refused.
/// </summary>
public static class Lifecycle
{
    private static readonly Dictionary<VialStatus, VialStatus[]> Allowed = new()
    {
        [VialStatus.Quarantine] = [VialStatus.Released, VialStatus.Discarded, VialStatus.Expired],
        [VialStatus.Released] = [VialStatus.Reserved, VialStatus.Discarded, VialStatus.Expired],
        [VialStatus.Reserved] = [VialStatus.Released, VialStatus.Shipped, VialStatus.Discarded, VialStatus.Expired],
        [VialStatus.Shipped] = [VialStatus.Received, VialStatus.Discarded, VialStatus.Expired],
        [VialStatus.Received] = [VialStatus.Thawed, VialStatus.Discarded, VialStatus.Expired],
        [VialStatus.Thawed] = [VialStatus.Administered, VialStatus.Discarded, VialStatus.Expired],
        [VialStatus.Administered] = [],
        [VialStatus.Discarded] = [],
        [VialStatus.Expired] = [],
    };

    public static bool IsTerminal(VialStatus s) => Allowed[s].Length == 0;

    public static bool CanMove(VialStatus from, VialStatus to) => Allowed[from].Contains(to);

    public static IReadOnlyList<VialStatus> Next(VialStatus from) => Allowed[from];

    /// <summary>Throws <see cref="RuleViolationException"/> (422) unless the move is allowed.</summary>
    public static void Guard(Vial vial, VialStatus to)
    {
        ArgumentNullException.ThrowIfNull(vial);
        if (!CanMove(vial.Status, to))
        {
            var next = Allowed[vial.Status];
            throw new RuleViolationException(
                $"vial {vial.Identity} is {Name(vial.Status)} and cannot become {Name(to)}"
                + (next.Length == 0 ? " (final state)" : $"; it can become {string.Join(", ", next.Select(Name))}"));
        }
    }

    /// <summary>Storage and search name (lower case).</summary>
    public static string Name(VialStatus s) => s.ToString().ToLowerInvariant();

    public static string Name(LotStatus s) => s.ToString().ToLowerInvariant();

    public static VialStatus ParseVial(string text, string field = "status") =>
        Enum.TryParse<VialStatus>(text?.Trim(), ignoreCase: true, out var s) && !int.TryParse(text, out _)
            ? s
            : throw new DomainValidationException(field,
                $"unknown status '{text}'; expected one of {string.Join(", ", Enum.GetValues<VialStatus>().Select(Name))}");

    public static LotStatus ParseLot(string text) => Enum.Parse<LotStatus>(text, ignoreCase: true);
}
