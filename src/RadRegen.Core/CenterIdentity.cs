namespace RadRegen.Core;

/// <summary>
/// Who this center is — the one holder of its own code (issue 13; ADR 0029): its ISBT 128 facility
/// identification number, which is also its code in the network (configuration makes
/// <c>Network:Center</c> equal <c>Center:FacilityCode</c>), and its name. Bound once from the
/// configuration; the bank's, capacity's, shared inventory's and the inbox's options are made from it
/// (<c>BankOptions.For</c>, <c>CapacityOptions.For</c>, <c>NetworkInventoryOptions.For</c>,
/// <c>NetworkMembership.For</c>) instead of each reading the settings itself.
/// </summary>
/// <param name="Code">The facility code; null when not configured (the center then issues no DIN and reports nothing).</param>
/// <param name="Name">The center's name (<c>Center:Name</c>).</param>
public sealed record CenterIdentity(string? Code, string Name);
