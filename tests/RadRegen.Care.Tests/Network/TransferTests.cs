using System.Text.Json;
using RadRegen.Care.Records;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;
using RadRegen.Network.Events;
using RadRegen.Network.Transfers;

namespace RadRegen.Care.Tests.Network;

/// <summary>Patient transfers shaped like EDXL-TEP (issue 13 item 5) between three centers, each with its own database.</summary>
public sealed class TransferTests : CareTestBase
{
    private const string Typing = "HLA-A*02:01+HLA-A*24:02^HLA-B*07:02+HLA-B*52:01^HLA-DRB1*15:01+HLA-DRB1*15:02";

    /// <summary>A patient at <paramref name="center"/> with symptoms, two counts and an HLA typing: triaged red.</summary>
    private static async Task<Patient> TriagedPatientAsync(NetworkCenter center, string code = "P-0001")
    {
        var incident = await center.Care.CreateIncidentAsync(Coordinator, AnIncident() with { StartedAt = ThreeCenters.Now.AddDays(-2) });
        var patient = await center.Care.RegisterPatientAsync(Physician, incident.Id, APatient(code) with { ExposureStart = incident.StartedAt.AddMinutes(10), HlaTyping = Typing });
        var start = patient.ExposureStart;
        await center.Care.RecordObservationAsync(Physician, patient.Id, ObservationKind.Symptoms, start.AddHours(2),
            new ObservationData { VomitingOnsetAt = start.AddMinutes(50), Signs = new Dictionary<string, double> { ["nausea"] = 2 } });
        await center.Care.RecordObservationAsync(Physician, patient.Id, ObservationKind.BloodCount, start.AddHours(4), new ObservationData { Lymphocytes = 2.0, Granulocytes = 6, Platelets = 250 });
        await center.Care.RecordObservationAsync(Physician, patient.Id, ObservationKind.BloodCount, start.AddHours(28), new ObservationData { Lymphocytes = 0.7, Granulocytes = 7, Platelets = 210 });
        return patient;
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task An_accepted_patient_arrives_complete_at_the_receiving_center_alone_assessed_the_same_way(string engine)
    {
        await using var net = await ThreeCenters.OpenAsync(engine);
        var patient = await TriagedPatientAsync(net.A);
        var t = await net.A.Transfers.RequestAsync(Physician, new NewTransfer(patient.Id, "b0002", "BMT", "H4 expected; no BMT bed here"));
        Assert.Equal((TransferStatus.Requested, "triaged", "red"), (t.Status, t.TepStatus, t.Triage));
        await net.SettleAsync();

        // B and C know the request, without the patient.
        var atB = await net.B.Transfers.GetAsync(Auditor, t.Id);
        Assert.Equal((TransferStatus.Requested, "A0001", "B0002", (long?)null), (atB.Status, atB.FromCenter, atB.ToCenter, atB.PatientId));
        Assert.DoesNotContain("P-0001", (await net.A.OutboxAsync()).Single().Event.PayloadJson, StringComparison.Ordinal);

        await net.B.Transfers.AcceptAsync(Coordinator, t.Id);
        await net.SettleAsync(); // B → A: accepted; A → B, C: the record (addressed to B) and "record sent"

        var record = (await net.A.OutboxAsync()).Single(o => o.Event.EntityKey.StartsWith("transfer-record/", StringComparison.Ordinal));
        Assert.Equal($"transfer-record/B0002/{t.Id}", record.Event.EntityKey);
        var atBNow = await net.B.Transfers.GetAsync(Auditor, t.Id);
        Assert.NotNull(atBNow.ReceivedPatientId);
        Assert.NotNull(atBNow.RecordSentAt);

        var sent = await net.A.Care.GetPatientAsync(Auditor, patient.Id);
        var received = await net.B.Care.GetPatientAsync(Auditor, atBNow.ReceivedPatientId!.Value);
        Assert.Equal((sent.Patient.Code, sent.Patient.AgeYears, sent.Patient.Sex, sent.Patient.WeightKg, sent.Patient.ExposureStart, sent.Patient.Burns, sent.Patient.HlaTyping),
            (received.Patient.Code, received.Patient.AgeYears, received.Patient.Sex, received.Patient.WeightKg, received.Patient.ExposureStart, received.Patient.Burns, received.Patient.HlaTyping));
        Assert.Equal(sent.Observations.Select(o => (o.Kind, o.ObservedAt, JsonSerializer.Serialize(o.Data, CareJson.Options), o.RecordedBy)),
            received.Observations.Select(o => (o.Kind, o.ObservedAt, JsonSerializer.Serialize(o.Data, CareJson.Options), o.RecordedBy)));
        Assert.Equal((sent.Assessment!.Triage, sent.Assessment.ResponseCategory, sent.Assessment.BasisDoseGy, sent.Assessment.ObservationCount),
            (received.Assessment!.Triage, received.Assessment.ResponseCategory, received.Assessment.BasisDoseGy, received.Assessment.ObservationCount));
        Assert.Equal(JsonSerializer.Serialize(sent.Assessment.Metrepol), JsonSerializer.Serialize(received.Assessment.Metrepol));

        // Provenance at B: the journal says from which center and which transfer.
        await using (var uow = await net.B.World.Units.BeginAsync(WorkMode.Read))
        {
            var entry = (await uow.Journal.QueryAsync(new JournalQuery("patient", received.Patient.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)))).Entries
                .Single(e => e.Action == "transferred-in");
            Assert.Equal("network:A0001", entry.User);
            Assert.Contains(t.Id, entry.Payload, StringComparison.Ordinal);
            Assert.Contains("A0001", entry.Payload, StringComparison.Ordinal);
        }

        // C saw the record go by and kept nothing of it.
        Assert.Empty(await net.C.Care.FindPatientsByCodeAsync(Auditor, "P-0001"));
        Assert.Null((await net.C.Transfers.GetAsync(Auditor, t.Id)).ReceivedPatientId);

        await net.A.Transfers.DispatchAsync(Coordinator, t.Id);
        await net.SettleAsync();
        await net.B.Transfers.AdmitAsync(Physician, t.Id);
        await net.SettleAsync();
        foreach (var c in net.All)
        {
            var seen = await c.Transfers.GetAsync(Auditor, t.Id);
            Assert.Equal((TransferStatus.Admitted, "admitted", "coord", "dr.kato"), (seen.Status, seen.TepStatus, seen.DispatchedBy, seen.AdmittedBy));
        }

        // A record sent again (a replay with a new event id) registers no second patient.
        await net.B.ApplyAsync(NetworkCenter.Envelope("A0001", record) with { EventId = Guid.NewGuid(), EntityVersion = record.Position + 100 });
        Assert.Single(await net.B.Care.FindPatientsByCodeAsync(Auditor, "P-0001"));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task The_state_machine_refuses_illegal_steps_and_a_decline_converges_with_its_reason(string engine)
    {
        await using var net = await ThreeCenters.OpenAsync(engine);
        var patient = await TriagedPatientAsync(net.A);

        var bad = await Assert.ThrowsAsync<DomainValidationException>(() => net.A.Transfers.RequestAsync(Physician, new NewTransfer(null, "A0001", "Cots")));
        Assert.Equal(["patientId", "toCenter", "bedType"], bad.Errors.Select(e => e.Field).ToList());
        foreach (var role in new[] { Role.Admin, Role.Trainer, Role.Auditor, Role.CpcTechnician, Role.QaOfficer })
        {
            await Assert.ThrowsAsync<ForbiddenException>(() => net.A.Transfers.RequestAsync(As(role, "x"), new NewTransfer(patient.Id, "B0002")));
        }

        var untriaged = await net.A.Care.RegisterPatientAsync(Physician, patient.IncidentId, APatient("P-0002") with { ExposureStart = patient.ExposureStart });
        Assert.Contains("encountered", (await Assert.ThrowsAsync<RuleViolationException>(() =>
            net.A.Transfers.RequestAsync(Physician, new NewTransfer(untriaged.Id, "B0002")))).Message, StringComparison.Ordinal);

        var t = await net.A.Transfers.RequestAsync(Physician, new NewTransfer(patient.Id, "B0002"));
        await Assert.ThrowsAsync<ConflictException>(() => net.A.Transfers.RequestAsync(Physician, new NewTransfer(patient.Id, "C0003")));
        await net.SettleAsync();

        // Only the receiving center decides; only the requesting center dispatches; nothing skips a step.
        Assert.Contains("receiving center B0002", (await Assert.ThrowsAsync<RuleViolationException>(() => net.A.Transfers.AcceptAsync(Physician, t.Id))).Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<RuleViolationException>(() => net.C.Transfers.AcceptAsync(Physician, t.Id));
        await Assert.ThrowsAsync<RuleViolationException>(() => net.A.Transfers.DispatchAsync(Physician, t.Id));
        await Assert.ThrowsAsync<RuleViolationException>(() => net.B.Transfers.AdmitAsync(Physician, t.Id));
        Assert.Equal("reason", (await Assert.ThrowsAsync<DomainValidationException>(() => net.B.Transfers.DeclineAsync(Physician, t.Id, " "))).Errors[0].Field);
        await Assert.ThrowsAsync<ForbiddenException>(() => net.B.Transfers.AcceptAsync(As(Role.Admin, "root"), t.Id));
        await Assert.ThrowsAsync<NotFoundException>(() => net.B.Transfers.AcceptAsync(Physician, "no-such-transfer"));

        await net.B.Transfers.DeclineAsync(Physician, t.Id, "no BMT bed free before day 10");
        await Assert.ThrowsAsync<RuleViolationException>(() => net.B.Transfers.AcceptAsync(Physician, t.Id)); // declined is final
        await net.SettleAsync();
        foreach (var c in net.All)
        {
            var seen = await c.Transfers.GetAsync(Auditor, t.Id);
            Assert.Equal((TransferStatus.Declined, "no BMT bed free before day 10", (long?)null), (seen.Status, seen.DeclineReason, seen.ReceivedPatientId));
        }

        Assert.DoesNotContain(await net.A.OutboxAsync(), o => o.Event.EntityKey.StartsWith("transfer-record/", StringComparison.Ordinal));

        // Declined is not open: the patient may be asked of C, who accepts; A then releases instead of sending.
        var second = await net.A.Transfers.RequestAsync(Coordinator, new NewTransfer(patient.Id, "C0003"));
        await net.SettleAsync();
        await net.C.Transfers.AcceptAsync(Physician, second.Id);
        await net.A.Transfers.ReleaseAsync(Physician, second.Id, "recovered counts on day 3");
        await net.SettleAsync(); // A learns of the acceptance after its release: no record goes
        Assert.DoesNotContain(await net.A.OutboxAsync(), o => o.Event.EntityKey.StartsWith("transfer-record/", StringComparison.Ordinal));
        foreach (var c in net.All)
        {
            Assert.Equal((TransferStatus.Released, "released"), ((await c.Transfers.GetAsync(Auditor, second.Id)).Status, (await c.Transfers.GetAsync(Auditor, second.Id)).TepStatus));
        }

        await Assert.ThrowsAsync<RuleViolationException>(() => net.A.Transfers.DispatchAsync(Physician, second.Id));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_state_event_from_a_center_outside_the_transfer_is_refused_with_the_reason(string engine)
    {
        await using var net = await ThreeCenters.OpenAsync(engine);
        var patient = await TriagedPatientAsync(net.A);
        await net.A.Transfers.RequestAsync(Physician, new NewTransfer(patient.Id, "B0002"));
        var row = (await net.A.OutboxAsync()).Single();
        var refused = await Assert.ThrowsAsync<DomainValidationException>(() => net.B.ApplyAsync(NetworkCenter.Envelope("C0003", row)));
        Assert.Equal("sourceCenter", refused.Errors[0].Field);
        Assert.Empty(await net.B.Transfers.ListAsync(Auditor));
        Assert.Equal(EventKinds.PatientTransfer, row.Event.Kind);
    }
}
