using System.Globalization;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;

namespace RadRegen.Care.Assessment;

/// <summary>A physician's e-signature on one version of a patient's dose assessment.</summary>
/// <param name="Version">The assessment version signed.</param>
/// <param name="Signature">The signature (signer, meaning, time, the hash of the version's content).</param>
public sealed record AssessmentSignature(int Version, ElectronicSignature Signature);

/// <summary>
/// A physician's sign-off of a patient's dose assessment (issue 17 item 2): the physician reviews the
/// current version and signs it with an e-signature — password re-entered, a stated meaning, bound
/// to that version's content by its hash (21 CFR 11.50, 11.70, 11.200) — through
/// <see cref="SignatureService"/>, as QA's lot release does. The signature is stored with the record
/// type <c>patient-assessment</c> and the id <c>&lt;patientId&gt;/v&lt;version&gt;</c>, so a later
/// version is unsigned until someone signs it. Only the current version may be signed: what the
/// physician reviewed must be what the patient's record now says.
/// </summary>
public sealed class AssessmentSignOff(IUnitOfWorkFactory units, SignatureService signatures)
{
    /// <summary>The record type of an assessment signature.</summary>
    public const string RecordType = "patient-assessment";

    /// <summary>The meaning offered when the physician states none.</summary>
    public const string DefaultMeaning = "reviewed and approved the dose assessment and its advice";

    /// <summary>The signature's record id of <paramref name="version"/> of the patient's assessment.</summary>
    public static string RecordId(long patientId, int version) =>
        string.Create(CultureInfo.InvariantCulture, $"{patientId}/v{version}");

    /// <summary>
    /// Signs <paramref name="version"/> of the patient's assessment. Refused (409) when it is not the
    /// current version, when there is no assessment yet, or when the signer already signed it; a wrong
    /// password is refused and counts towards the sign-in throttle (SignatureService). One unit of work.
    /// </summary>
    public async Task<AssessmentSignature> SignAsync(Actor actor, long patientId, int version, string password, string? meaning,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.CareAssessmentSign);
        if (version < 1)
        {
            throw new DomainValidationException("version", "must be the assessment version reviewed (1 or more)");
        }

        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<ICareStore>();
        await CareService.ReadPatientAsync(store, actor, patientId, ct);
        _ = await store.GetPatientAsync(patientId, ct) ?? throw new NotFoundException($"no patient {patientId}");
        var current = await store.GetAssessmentAsync(patientId, ct)
            ?? throw new ConflictException($"patient {patientId} has no assessment to sign yet");
        if (current.Version != version)
        {
            throw new ConflictException(string.Create(CultureInfo.InvariantCulture,
                $"assessment version {version} of patient {patientId} is not the current one: the current version is {current.Version}; review it and sign that"));
        }

        var id = RecordId(patientId, version);
        var existing = await uow.Store<ISignatureStore>().ListForRecordAsync(RecordType, id, ct);
        if (existing.Any(s => s.UserId == actor.UserId))
        {
            throw new ConflictException($"{actor.UserName} has already signed version {version} of patient {patientId}'s assessment");
        }

        var stated = string.IsNullOrWhiteSpace(meaning) ? DefaultMeaning : meaning;
        // The content signed is the version itself: SignatureService journals the signature (signer, meaning,
        // record, hash) in this unit of work and stores it; both commit together or not at all.
        var signature = await signatures.SignAsync(uow, actor, new SignatureIntent(RecordType, id, stated, current), password, ct);
        await uow.CommitAsync(ct);
        return new AssessmentSignature(version, signature);
    }

    /// <summary>Every signature of the patient's assessment, by version (oldest first), for versions 1 to the current one.</summary>
    public async Task<IReadOnlyList<AssessmentSignature>> ListAsync(Actor actor, long patientId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.CareDrillRead);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        var store = uow.Store<ICareStore>();
        await CareService.ReadPatientAsync(store, actor, patientId, ct);
        var current = await store.GetAssessmentAsync(patientId, ct);
        if (current is null)
        {
            return [];
        }

        var signatureStore = uow.Store<ISignatureStore>();
        var all = new List<AssessmentSignature>();
        for (var v = 1; v <= current.Version; v++)
        {
            all.AddRange((await signatureStore.ListForRecordAsync(RecordType, RecordId(patientId, v), ct)).Select(s => new AssessmentSignature(v, s)));
        }

        return all;
    }

    /// <summary>The signatures of one version.</summary>
    public static IReadOnlyList<AssessmentSignature> Of(IEnumerable<AssessmentSignature> signatures, int version) =>
        [.. signatures.Where(s => s.Version == version).OrderBy(s => s.Signature.SignedAt)];
}
