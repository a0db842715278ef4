namespace RadRegen.Bank.Model;

/// <summary>
/// The donor-eligibility determination as the sending center's QA signed it (ADR 0031): whether
/// the donor was eligible, the marker results it rested on and a summary, with the signature's
/// meaning, time, the signer's role and the center. Never the donor's identity: the donor, the
/// consent form and the screening records stay at the center that holds them.
/// </summary>
/// <param name="Eligible">Every marker tested and negative (<see cref="Services.DonorEligibility.Rule"/>).</param>
/// <param name="Markers">The marker results (marker → negative / positive / not recorded), no donor name or code.</param>
/// <param name="Meaning">The signature's meaning at the source ("released": the lot release that certifies the determination).</param>
/// <param name="SignerRole">The role that signature needs there (the permission table's roles for the lot release).</param>
public sealed record EligibilityDetermination(
    bool Eligible,
    IReadOnlyList<ScreeningResult> Markers,
    string Summary,
    string Rule,
    string Meaning,
    DateTimeOffset SignedAt,
    string SignerRole,
    string Center);

/// <summary>
/// A lot's lineage as it travels between centers (ADR 0031): product, ISBT 128 DIN and source
/// facility, lot and cell-bank references, HLA typing, expiry, intended use, the consent scopes the
/// source attested by shipping, and the signed eligibility determination. Codes and results only.
/// </summary>
/// <param name="SourceFacility">The ISBT 128 facility that assigned the DIN (where the lot was made).</param>
/// <param name="IntendedUse">The source lot's intended use: clinical only if the source lot was clinical.</param>
/// <param name="Consent">The donor's consent scopes as the source held them when it shipped (its bank refuses to reserve without clinical consent).</param>
public sealed record LotLineage(
    string LotNumber,
    string Din,
    string SourceFacility,
    string ProductCode,
    IntendedUse IntendedUse,
    DateTimeOffset ManufacturedAt,
    DateTimeOffset ExpiresAt,
    string LineCode,
    string LineMethod,
    string CloneName,
    int LinePassage,
    IntendedUse LineIntendedUse,
    string WcbCode,
    int WcbPassage,
    string? McbCode,
    int? McbPassage,
    string? HlaGl,
    string? Haplotype,
    bool? Homozygous,
    ConsentScopes Consent,
    EligibilityDetermination Eligibility);

/// <summary>One signed hand-off of a shipment between centers (sender → courier → receiver), as the receiving bank keeps it.</summary>
public sealed record ProvenanceHandOff(string From, string To, DateTimeOffset At, string Center, string SignedBy, long SignatureId, string? Note);

/// <summary>
/// A lot received from another center and accepted into this bank by QA (receipt inspection,
/// e-signed): it points to the source center, shipment and lot, and keeps the lineage and the
/// chain of custody the vials came with. One row per lot and shipment.
/// </summary>
/// <param name="LotId">The lot in this bank that holds the received vials.</param>
/// <param name="Divisions">The divisions of the lot received in this shipment.</param>
public sealed record ReceivedLot(
    long Id,
    long LotId,
    string ShipmentId,
    string FromCenter,
    LotLineage Lineage,
    IReadOnlyList<string> Divisions,
    IReadOnlyList<ProvenanceHandOff> Custody,
    DateTimeOffset AcceptedAt,
    string AcceptedBy,
    long SignatureId);

/// <summary>A vial of this bank shipped to another center: it is that center's now, until a return shipment brings it back.</summary>
public sealed record VialTransferOut(long VialId, string ShipmentId, string ToCenter, DateTimeOffset ShippedAt, DateTimeOffset? ReturnedAt, string? ReturnShipmentId);
