using System.Text.Json;
using RadRegen.Core;
using RadRegen.Core.Messaging;
using RadRegen.Network.Events;
using RadRegen.Network.Inbox;

namespace RadRegen.Network.Centers;

/// <summary>
/// What a center can offer patients of a radiation emergency, as the RITN capability survey asks
/// it (reference/network-engine: the capabilities RITN lists for its centers; issue 13 item 1 names
/// these four): the center states these in configuration (<c>Center:Capabilities:*</c>).
/// </summary>
/// <param name="BmtBeds">Beds for blood and marrow transplantation (0 when none).</param>
/// <param name="BurnUnit">Whether the center has a burn unit (combined injuries).</param>
/// <param name="BiodosimetryLab">Whether it runs a biodosimetry (dicentric) laboratory.</param>
/// <param name="Cpc">Whether it has a cell processing center (manufactures or stores cell products).</param>
public sealed record CenterCapabilities(int BmtBeds, bool BurnUnit, bool BiodosimetryLab, bool Cpc)
{
    public static CenterCapabilities None { get; } = new(0, false, false, false);
}

/// <summary>
/// A center's identity as it tells the network (the <c>center.profile</c> event, schema version 1):
/// its ISBT 128 facility code, name, display time zone and capabilities.
/// </summary>
public sealed record CenterProfile(string Code, string Name, string TimeZone, CenterCapabilities Capabilities)
{
    /// <summary>
    /// The center's public keys (ADR 0029): records addressed to it are sealed to them and what it
    /// seals is verified with them. Optional within schema version 1 (an added field; an older
    /// RadRegen ignores it): a center without keys can neither receive nor send a transfer record.
    /// </summary>
    public Privacy.CenterPublicKeys? Keys { get; init; }

    /// <summary>The payload schema version this build writes and reads.</summary>
    public const int SchemaVersion = 1;

    /// <summary>The entity key of a center's profile (one per center).</summary>
    public static string EntityKey(string code) => "center/" + code;

    public string ToJson() => JsonSerializer.Serialize(this, NetworkJson.Options);

    /// <summary>Reads a payload; a payload that is not a profile is refused with the field named.</summary>
    public static CenterProfile Parse(string json)
    {
        CenterProfile? profile;
        try
        {
            profile = JsonSerializer.Deserialize<CenterProfile>(json, NetworkJson.Options);
        }
        catch (JsonException ex)
        {
            throw new DomainValidationException("payload", "is not a center profile: " + ex.Message);
        }

        if (profile is null || string.IsNullOrWhiteSpace(profile.Code))
        {
            throw new DomainValidationException("payload.code", "is required");
        }

        if (profile.Capabilities is null)
        {
            throw new DomainValidationException("payload.capabilities", "is required");
        }

        if (profile.Capabilities.BmtBeds < 0)
        {
            throw new DomainValidationException("payload.capabilities.bmtBeds", "must not be negative");
        }

        if (profile.Keys is { } keys && !keys.IsValid())
        {
            throw new DomainValidationException("payload.keys", "are not two base64 P-256 public keys (agreement, signing)");
        }

        return profile with { Name = profile.Name ?? "", TimeZone = profile.TimeZone ?? "UTC" };
    }
}

/// <summary>
/// Tells the network who this center is: enqueues a <c>center.profile</c> event when the profile
/// differs from the last one this center enqueued (first start, or a changed name, time zone or
/// capability), so other centers learn it before any later event of this center.
/// </summary>
public sealed class CenterProfilePublisher(IUnitOfWorkFactory units, IClock clock, Privacy.CenterKeyring? keys = null)
{
    /// <summary>
    /// Enqueues <paramref name="profile"/> (with this center's public keys, when it has network keys:
    /// ADR 0029) unless it is the last one enqueued; returns whether it did.
    /// </summary>
    public async Task<bool> EnsurePublishedAsync(CenterProfile profile, CancellationToken ct = default)
    {
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var published = await EnsurePublishedAsync(uow, profile, force: false, ct);
        await uow.CommitAsync(ct);
        return published;
    }

    /// <summary>As above, in <paramref name="uow"/>; <paramref name="force"/> enqueues it even when unchanged (a center joining a network).</summary>
    public async Task<bool> EnsurePublishedAsync(IUnitOfWork uow, CenterProfile profile, bool force, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(uow);
        ArgumentNullException.ThrowIfNull(profile);
        if (keys?.Keys is { } own)
        {
            profile = profile with { Keys = own.Public };
        }

        var last = await uow.Store<INetworkStore>().LastOwnPayloadAsync(EventKinds.CenterProfile, CenterProfile.EntityKey(profile.Code), ct);
        if (!force && last is not null && CenterProfile.Parse(last) == profile)
        {
            return false;
        }

        await uow.Store<IOutbox>().EnqueueAsync(
            new OutboxEvent(EventKinds.CenterProfile, CenterProfile.SchemaVersion, CenterProfile.EntityKey(profile.Code), profile.ToJson()),
            clock.UtcNow, ct);
        return true;
    }
}

/// <summary>Applies other centers' <c>center.profile</c> events: the center becomes known with its identity and capabilities.</summary>
public sealed class CenterProfileHandler : INetworkEventHandler
{
    private static readonly IReadOnlySet<int> Versions = new HashSet<int> { CenterProfile.SchemaVersion };

    public string Kind => EventKinds.CenterProfile;

    public IReadOnlySet<int> SchemaVersions => Versions;

    public async Task ApplyAsync(IUnitOfWork unitOfWork, NetworkEnvelope envelope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unitOfWork);
        ArgumentNullException.ThrowIfNull(envelope);
        var profile = CenterProfile.Parse(envelope.PayloadJson);
        if (!string.Equals(profile.Code, envelope.SourceCenter, StringComparison.Ordinal))
        {
            throw new DomainValidationException("payload.code", $"'{profile.Code}' is not the sending center {envelope.SourceCenter}: a center tells only its own profile");
        }

        await unitOfWork.Store<INetworkStore>().SaveProfileAsync(profile, envelope.EntityVersion, cancellationToken);
    }
}
