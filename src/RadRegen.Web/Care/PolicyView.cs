using RadRegen.Care.Allocation;
using static RadRegen.Web.Api.CareEndpoints;

namespace RadRegen.Web.Care;

/// <summary>The priority policy as the API and the queue and allocation pages show it.</summary>
public static class PolicyView
{
    public static PolicyVersionResponse Describe(PolicyVersion version, string? source)
    {
        ArgumentNullException.ThrowIfNull(version);
        return new PolicyVersionResponse(version.Version, version.SetAt, version.SetBy, version.Reason, version.SignatureId, source, version.Policy, version.Policy.Rules());
    }

    /// <summary>The tier as people write it.</summary>
    public static string TierName(PriorityTier tier) => tier switch
    {
        PriorityTier.Priority => "priority",
        PriorityTier.NeedsAssessment => "needs-assessment",
        PriorityTier.WalkingWell => "walking-well",
        PriorityTier.Expectant => "expectant",
        _ => tier.ToString(),
    };
}
