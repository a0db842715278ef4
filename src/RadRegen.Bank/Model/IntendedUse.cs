using RadRegen.Core;

namespace RadRegen.Bank.Model;

/// <summary>
/// What a product type, an iPSC line or a lot may be used for (ADR 0016). Only
/// <see cref="Clinical"/> material is requested, reserved, dispatched or administered for a
/// patient; undifferentiated iPSC / master cell bank material is <see cref="StartingMaterial"/>
/// (it feeds manufacture and is never given to a patient: residual undifferentiated cells must stay
/// below 0.1 % in a differentiated product, reference/qc/README.md, Doi et al. 2020); material of a
/// donor who is not eligible is <see cref="Research"/> use only.
/// </summary>
public enum IntendedUse
{
    StartingMaterial,
    Research,
    Clinical,
}

/// <summary>Names of <see cref="IntendedUse"/>: storage (<c>starting-material</c>) and text for people ("starting material").</summary>
public static class IntendedUses
{
    /// <summary>Storage and API name.</summary>
    public static string Name(IntendedUse use) => use switch
    {
        IntendedUse.StartingMaterial => "starting-material",
        IntendedUse.Research => "research",
        _ => "clinical",
    };

    /// <summary>As a page or an error says it.</summary>
    public static string Text(IntendedUse use) => use switch
    {
        IntendedUse.StartingMaterial => "starting material (not for administration)",
        IntendedUse.Research => "research use only",
        _ => "clinical use",
    };

    public static IntendedUse Parse(string? text, string field = "intendedUse")
    {
        var t = (text ?? "").Trim().Replace('_', '-').Replace(' ', '-').ToLowerInvariant();
        return t switch
        {
            "starting-material" or "startingmaterial" => IntendedUse.StartingMaterial,
            "research" => IntendedUse.Research,
            "clinical" => IntendedUse.Clinical,
            _ => throw new DomainValidationException(field, $"unknown intended use '{text}'; expected starting-material, research or clinical"),
        };
    }
}

/// <summary>
/// One rule for expiry, used everywhere (vial and lot status, inventory, allocation, labels, the
/// expiry worker): material is expired from the instant of its expiry on (<c>expiresAt ≤ now</c>).
/// </summary>
public static class Expiry
{
    public static bool IsExpired(DateTimeOffset expiresAt, DateTimeOffset now) => expiresAt <= now;

    /// <summary>A lot's status as people read it now: a quarantined or released lot past its expiry is expired.</summary>
    public static string LotStatusName(Lot lot, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(lot);
        return lot.Status != LotStatus.Rejected && (lot.ExpiredAt is not null || IsExpired(lot.ExpiresAt, now)) ? "expired" : Lifecycle.Name(lot.Status);
    }

    /// <summary>A vial's status as people read it now: a live vial past its expiry is expired (the worker writes it within a minute).</summary>
    public static VialStatus VialStatusAt(Vial vial, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(vial);
        return !Lifecycle.IsTerminal(vial.Status) && IsExpired(vial.ExpiresAt, now) ? VialStatus.Expired : vial.Status;
    }
}
