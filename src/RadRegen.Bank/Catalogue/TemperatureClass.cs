using System.Globalization;
using RadRegen.Core;

namespace RadRegen.Bank.Catalogue;

/// <summary>
/// A storage temperature class: what a product needs and what a tank, freezer or refrigerator
/// keeps. Sources (reference/qc/README.md, "Storage temperatures"): long-term storage of cellular
/// therapy products in liquid or vapour LN2 at −150 to −196 °C (ISCT); frozen blood components at
/// ≤ −65 °C (21 CFR 600.15, frozen red cells); fresh cell products at 2–8 °C (HPC courier SOP, CF-45).
/// </summary>
public enum TemperatureClass
{
    /// <summary>Vapour-phase liquid nitrogen, ≤ −150 °C (cryopreserved iPSC and cell products).</summary>
    Ln2Vapour,

    /// <summary>Ultra-low (−80 °C) mechanical freezer, ≤ −65 °C.</summary>
    UltraLow,

    /// <summary>Refrigerated, 2–8 °C (fresh, non-frozen products).</summary>
    Refrigerated,
}

/// <summary>
/// The limits of a class, how it fits a product, and the readings that are implausible for a unit of
/// the class (typed wrong, a sensor fault) and need confirmation before they are recorded.
/// </summary>
/// <param name="Warmest">The warmest a unit of the class may be set to hold (its alarm limit may not be warmer).</param>
/// <param name="Coldest">The coldest a product of the class may be kept at (null: colder is harmless, as for frozen products).</param>
/// <param name="PlausibleLow">Below this a reading cannot be real for such a unit (colder than its coolant or compressor reaches).</param>
/// <param name="PlausibleHigh">Above this a reading cannot be real (warmer than the room a unit that lost cooling warms up to).</param>
public sealed record TemperatureClassSpec(TemperatureClass Class, string Code, string Name, double Warmest, double? Coldest,
    double PlausibleLow, double PlausibleHigh, string Source)
{
    /// <summary>Frozen classes from the warmest to the coldest: a frozen product keeps in its own class or a colder one.</summary>
    private int Coldness => Class switch { TemperatureClass.Ln2Vapour => 2, TemperatureClass.UltraLow => 1, _ => 0 };

    public bool Frozen => Coldest is null;

    /// <summary>Whether a product of this class may go into a unit of class <paramref name="unit"/>.</summary>
    public bool Accepts(TemperatureClassSpec unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        return Class == unit.Class || (Frozen && unit.Frozen && unit.Coldness > Coldness);
    }

    public override string ToString() => Name;
}

/// <summary>The classes the bank knows, with their sources.</summary>
public static class TemperatureClasses
{
    /// <summary>
    /// A unit that lost cooling warms up to the room it stands in, not beyond: a reading above
    /// this is a typing or sensor error (e.g. "150" for "−150"). The center's choice (a warm room), not a published value.
    /// </summary>
    public const double WarmestRoomCelsius = 40;

    /// <summary>Liquid nitrogen boils at −195.8 °C at atmospheric pressure; the ISCT storage range ends at −196 °C.</summary>
    public const double LiquidNitrogenCelsius = -196;

    /// <summary>A margin for the sensor below the coldest the unit can reach. The center's choice.</summary>
    public const double SensorMarginCelsius = 5;

    /// <summary>
    /// Mechanical ultra-low freezers are built to reach about −86 °C; −100 °C leaves the margin of a
    /// sensor. The center's choice; readings below it are asked to be confirmed, not refused.
    /// </summary>
    public const double MechanicalColdestCelsius = -100;

    public static IReadOnlyList<TemperatureClassSpec> All { get; } =
    [
        new(TemperatureClass.Ln2Vapour, "ln2-vapour", "vapour-phase LN2 (≤ −150 °C)", -150, null, LiquidNitrogenCelsius - SensorMarginCelsius,
            WarmestRoomCelsius, "ISCT: long-term storage of cellular therapy products in liquid or vapour LN2 at −150 to −196 °C"),
        new(TemperatureClass.UltraLow, "ultra-low", "ultra-low freezer (−80 °C, ≤ −65 °C)", -65, null, MechanicalColdestCelsius,
            WarmestRoomCelsius, "21 CFR 600.15: frozen blood components (red cells) at ≤ −65 °C"),
        new(TemperatureClass.Refrigerated, "refrigerated", "refrigerated (2–8 °C)", 8, 2, MechanicalColdestCelsius, WarmestRoomCelsius,
            "HPC courier SOP (CF-45 container): fresh cell products at 2–8 °C"),
    ];

    public static TemperatureClassSpec Of(TemperatureClass c) => All.First(s => s.Class == c);

    /// <summary>The class a recorded upper limit belongs to (for products and units stored before classes were declared).</summary>
    public static TemperatureClass ForLimit(double maxCelsius) => maxCelsius switch
    {
        <= -150 => TemperatureClass.Ln2Vapour,
        <= -65 => TemperatureClass.UltraLow,
        _ => TemperatureClass.Refrigerated,
    };

    /// <summary>Reads a class code ("ln2-vapour", "ultra-low", "refrigerated") or enum name; 400 naming the field otherwise.</summary>
    public static TemperatureClass Parse(string? text, string field)
    {
        var t = (text ?? "").Trim();
        return All.FirstOrDefault(s => string.Equals(s.Code, t, StringComparison.OrdinalIgnoreCase) || string.Equals(s.Class.ToString(), t, StringComparison.OrdinalIgnoreCase))
            ?.Class ?? throw new DomainValidationException(field, $"a temperature class is one of {string.Join(", ", All.Select(s => s.Code))}, not '{t}'");
    }

    public static string Code(TemperatureClass c) => Of(c).Code;

    public static string Celsius(double c) => c.ToString("0.##", CultureInfo.InvariantCulture) + " °C";
}
