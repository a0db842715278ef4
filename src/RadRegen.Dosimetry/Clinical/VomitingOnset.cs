using System.Runtime.CompilerServices;
namespace RadRegen.Dosimetry.Clinical;

/// <summary>
/// Dose range from the time to onset of vomiting after a whole-body exposure: IAEA EPR-Medical 2024,
/// Table 3 ("general dose range estimation … in mass casualty events based on time to vomiting").
/// A coarse triage input only: the relative error of a TTV dose is about 200 %, 95 % CI ≈ (D/4, 4D)
/// (Demidenko, Williams &amp; Swartz 2009, Radiat Res 171:310); psychogenic vomiting and people who
/// never vomit make false results common.
/// </summary>
public static class VomitingOnset
{
    private const string Source = "IAEA EPR-Medical 2024, Table 3 (time to vomiting)";

    /// <summary>
    /// How long after exposure a person must have been seen without vomiting before "no vomiting"
    /// reads as the table's "&lt; 1 Gy" row: 10 h. IAEA EPR-Medical 2024 Table 3 prints "no vomiting:
    /// &lt; 1 Gy" without a time; the practical rule in the project's notes (secondary source, see
    /// reference/dosimetry/methods.md) is "no vomiting within 8–10 h makes a dose &gt; 1 Gy
    /// unlikely"; the longer end of that range is taken, since reading "no vomiting" too early makes
    /// a person green (reference/clinical F12).
    /// </summary>
    public static readonly TimeSpan NoVomitingAfter = TimeSpan.FromHours(10);

    /// <summary>Whether "no vomiting", last confirmed <paramref name="observedUntil"/> after exposure, counts (null: time unknown, it does not).</summary>
    public static bool NoVomitingCounts(TimeSpan? observedUntil) => observedUntil is { } t && t >= NoVomitingAfter;

    /// <summary>The note for a "no vomiting" that does not count yet.</summary>
    public static string TooEarlyNote(TimeSpan? observedUntil) =>
        (observedUntil is { } t
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"No vomiting so far ({t.TotalHours:0.#} h after exposure): too early to count")
            : "No vomiting recorded without the time it was last checked: not counted")
        + string.Create(System.Globalization.CultureInfo.InvariantCulture, $"; \"no vomiting\" reads as < 1 Gy (IAEA EPR-Medical 2024 Table 3) only after {NoVomitingAfter.TotalHours:0} h without vomiting (no vomiting within 8–10 h makes > 1 Gy unlikely; the later time is used).");

    /// <summary>The band for an onset time; null means no vomiting.</summary>
    /// <exception cref="DosimetryInputException">A negative onset time.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static DoseBand Band(TimeSpan? onset)
    {
        if (onset is null)
        {
            return new DoseBand(0, 1, "no vomiting: < 1 Gy", Source);
        }

        var t = onset.Value;
        if (t < TimeSpan.Zero)
        {
            throw new DosimetryInputException("--vomiting-onset", $"must not be negative (got {t})");
        }

        if (t >= TimeSpan.FromHours(2))
        {
            return new DoseBand(1, 2, "onset ≥ 2 h: 1–2 Gy (mild ARS; vomiting in 10–50 %)", Source);
        }

        if (t >= TimeSpan.FromHours(1))
        {
            return new DoseBand(2, 4, "onset 1–2 h: 2–4 Gy (moderate ARS; vomiting in 70–90 %)", Source);
        }

        if (t >= TimeSpan.FromMinutes(30))
        {
            return new DoseBand(4, 6, "onset < 1 h: 4–6 Gy (severe ARS)", Source);
        }

        if (t >= TimeSpan.FromMinutes(10))
        {
            return new DoseBand(6, 8, "onset < 30 min: 6–8 Gy (very severe ARS)", Source);
        }

        return new DoseBand(8, null, "onset < 10 min: > 8 Gy (lethal range)", Source);
    }
}
