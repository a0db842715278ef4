using RadRegen.Care.Assessment;
using RadRegen.Care.Records;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Testing;

namespace RadRegen.Care.Tests;

/// <summary>
/// Issue 17 item 2: a physician signs the current version of a patient's assessment (SignatureService,
/// bound to the version's content); a stale version, a non-physician and a wrong password are refused,
/// nothing written but the refusal's own journal entry.
/// </summary>
public sealed class AssessmentSignOffTests : CareTestBase
{
    private const string Meaning = "reviewed and approved the dose assessment and its advice";

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_physician_signs_the_current_version_only_and_the_signature_is_bound_to_it(string engine)
    {
        await using var w = await OpenAsync(engine);
        var doctor = await w.UserAsync("dr.sign", Role.Physician);
        var coordinator = await w.UserAsync("coord.sign", Role.Coordinator);
        var trainer = await w.UserAsync("trainer.sign", Role.Trainer);
        var admin = await w.UserAsync("admin.sign", Role.Admin);
        var signOff = w.Get<AssessmentSignOff>();
        var incident = await w.Care.CreateIncidentAsync(doctor, AnIncident());
        var patient = await w.Care.RegisterPatientAsync(doctor, incident.Id, APatient());

        // No assessment yet: nothing to sign.
        await Assert.ThrowsAsync<ConflictException>(() => signOff.SignAsync(doctor, patient.Id, 1, TestWorld.Password, Meaning));
        var (_, first) = await w.Care.RecordObservationAsync(doctor, patient.Id, ObservationKind.BloodCount, IncidentStart.AddHours(5),
            new ObservationData { Lymphocytes = 1.2 });

        foreach (var other in new[] { coordinator, trainer, admin })
        {
            await Assert.ThrowsAsync<ForbiddenException>(() => signOff.SignAsync(other, patient.Id, first.Version, TestWorld.Password, Meaning));
        }

        var journal = await w.JournalCountAsync();
        await Assert.ThrowsAsync<ForbiddenException>(() => signOff.SignAsync(doctor, patient.Id, first.Version, "wrong password", Meaning));
        Assert.True(await w.JournalCountAsync() <= journal + 1, "a refused signature writes at most its own refusal");
        Assert.Empty(await signOff.ListAsync(doctor, patient.Id));

        var signed = await signOff.SignAsync(doctor, patient.Id, first.Version, TestWorld.Password, Meaning);
        Assert.Equal(first.Version, signed.Version);
        Assert.Equal("dr.sign", signed.Signature.UserName);
        Assert.Equal(Meaning, signed.Signature.Meaning);
        Assert.Equal(AssessmentSignOff.RecordType, signed.Signature.RecordType);
        Assert.Equal($"{patient.Id}/v{first.Version}", signed.Signature.RecordId);
        Assert.True(SignatureService.IsBoundTo(signed.Signature, first));
        var journaled = await w.Audit.SignaturesAsync(Auditor, AssessmentSignOff.RecordType, signed.Signature.RecordId);
        Assert.Single(journaled);
        await Assert.ThrowsAsync<ConflictException>(() => signOff.SignAsync(doctor, patient.Id, first.Version, TestWorld.Password, Meaning));

        // A new observation makes a new version: the old one can no longer be signed; the message names the current version.
        var (_, second) = await w.Care.RecordObservationAsync(doctor, patient.Id, ObservationKind.BloodCount, IncidentStart.AddHours(30),
            new ObservationData { Lymphocytes = 0.9 });
        Assert.True(second.Version > first.Version);
        var stale = await Assert.ThrowsAsync<ConflictException>(() => signOff.SignAsync(doctor, patient.Id, first.Version, TestWorld.Password, Meaning));
        Assert.Contains($"the current version is {second.Version}", stale.Message, StringComparison.Ordinal);
        var listed = await signOff.ListAsync(doctor, patient.Id);
        Assert.Equal(first.Version, Assert.Single(listed).Version);
        Assert.Empty(AssessmentSignOff.Of(listed, second.Version));
    }
}
