using RadRegen.Care.Assessment;
using RadRegen.Care.Records;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;

namespace RadRegen.Care;

/// <summary>One observation of a batch: whose, what, when, and the name its errors carry (<c>entry[3]</c>).</summary>
/// <param name="Field">The prefix of every error of this item (a FHIR Bundle names its entries: <c>entry[3]</c>).</param>
public sealed record BatchObservation(string Field, long PatientId, ObservationKind Kind, DateTimeOffset ObservedAt, ObservationData Data);

/// <summary>What a batch wrote: the observations (with their ids) and each patient's new assessment.</summary>
public sealed record BatchResult(IReadOnlyList<Observation> Observations, IReadOnlyList<PatientAssessment> Assessments);

public sealed partial class CareService
{
    /// <summary>
    /// Records observations of one or more patients from one source (a hospital's FHIR Bundle, ADR
    /// 0037) in ONE unit of work: every item is checked by <see cref="ObservationRules"/> as the API
    /// checks one observation, with its errors named by <see cref="BatchObservation.Field"/>; one bad
    /// item, an unknown patient or a lowered triage colour (unless <paramref name="confirm"/>, as
    /// <see cref="RecordObservationAsync"/>) refuses the whole batch and nothing is written.
    /// Each patient is reassessed once, after all of their observations.
    /// </summary>
    public async Task<BatchResult> RecordObservationBatchAsync(Actor actor, IReadOnlyList<BatchObservation> items, string source, bool confirm = false,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(items);
        if (items.Any(i => i.Kind == ObservationKind.Cytogenetics))
        {
            actor.Demand(Operation.CareCytogeneticsRecord);
        }

        if (items.Count == 0 || items.Any(i => i.Kind != ObservationKind.Cytogenetics))
        {
            actor.Demand(Operation.CareObservationRecord);
        }

        if (items.Count == 0)
        {
            throw new DomainValidationException("entry", "the batch holds no observation");
        }

        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<ICareStore>();
        var now = clock.UtcNow;
        var patients = new Dictionary<long, Patient>();
        var errors = new List<FieldError>();
        foreach (var item in items)
        {
            if (!patients.TryGetValue(item.PatientId, out var patient))
            {
                patient = await store.GetPatientAsync(item.PatientId, ct);
                if (patient is null)
                {
                    errors.Add(new FieldError(item.Field + ".subject", $"no patient {item.PatientId}"));
                    continue;
                }

                patients[item.PatientId] = patient;
            }

            try
            {
                ObservationRules.Validate(patient, item.Kind, item.ObservedAt, item.Data, now, item.Field + ".");
            }
            catch (DomainValidationException ex)
            {
                errors.AddRange(ex.Errors);
            }
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        var written = new List<Observation>(items.Count);
        foreach (var item in items)
        {
            var patient = patients[item.PatientId];
            var observation = new Observation(0, item.PatientId, item.Kind, item.ObservedAt, item.Data, actor.UserName, now);
            var id = await store.InsertObservationAsync(observation, ct);
            written.Add(observation with { Id = id });
            await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("observation", Id(id), "recorded",
                new { patientId = item.PatientId, patient = patient.Code, kind = item.Kind.Name(), observedAt = JournalTime.ToText(item.ObservedAt), data = item.Data, source, item = item.Field }), ct);
        }

        var assessments = new List<PatientAssessment>(patients.Count);
        foreach (var patient in patients.Values)
        {
            var previous = await store.GetAssessmentAsync(patient.Id, ct);
            var assessment = await ReassessAsync(uow, actor, patient, ct);
            if (!confirm && Lowers(previous?.Triage, assessment.Triage))
            {
                // Thrown before the commit: nothing of the batch is written.
                var fields = string.Join(", ", items.Where(i => i.PatientId == patient.Id).Select(i => i.Field));
                errors.Add(new FieldError(fields, $"these observations lower the triage colour of {patient.Code} from {previous!.Triage} to {assessment.Triage ?? "none"} "
                    + $"(basis {(assessment.Doses.FirstOrDefault()?.Method ?? "no dose evidence")}); check them and send the batch again with confirm = true to record it"));
            }

            assessments.Add(assessment);
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        await uow.CommitAsync(ct);
        return new BatchResult(written, assessments);
    }
}
