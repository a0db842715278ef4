using System.Text.Json;
using RadRegen.Care;
using RadRegen.Care.Records;
using RadRegen.Core;
using RadRegen.Core.Journal;
using RadRegen.Core.Messaging;
using RadRegen.Network.Capacity;
using RadRegen.Network.Events;

namespace RadRegen.Network.Transfers;

/// <summary>
/// Applies <see cref="EventKinds.PatientTransfer"/> events from other centers. A state event
/// (<c>transfer/{id}</c>) updates the fields its source center owns; when this center requested the
/// transfer and learns that it was accepted, it sends the patient's record to the accepting center in
/// the same unit of work. A record event (<c>transfer-record/{to}/{id}</c>) is read only by its
/// addressee, which registers the patient (<see cref="CareService.RegisterTransferredPatientAsync"/>)
/// with the transfer as provenance; every other center drops it without storing anything.
/// </summary>
public sealed class PatientTransferHandler(CareService care, CapacityOptions options, IClock clock) : INetworkEventHandler
{
    public string Kind => EventKinds.PatientTransfer;

    public IReadOnlySet<int> SchemaVersions { get; } = new HashSet<int> { TransferStatePayload.SchemaVersion };

    public Task ApplyAsync(IUnitOfWork unitOfWork, NetworkEnvelope envelope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unitOfWork);
        ArgumentNullException.ThrowIfNull(envelope);
        return envelope.EntityKey.StartsWith(TransferRecordPayload.KeyPrefix, StringComparison.Ordinal)
            ? ApplyRecordAsync(unitOfWork, envelope, cancellationToken)
            : ApplyStateAsync(unitOfWork, envelope, cancellationToken);
    }

    private async Task ApplyStateAsync(IUnitOfWork uow, NetworkEnvelope envelope, CancellationToken ct)
    {
        var p = NetworkJson.Read<TransferStatePayload>(envelope.PayloadJson, NetworkJson.Options, nameof(TransferStatePayload));
        var store = uow.Store<ITransferStore>();
        var existing = await store.GetAsync(p.Id, ct);
        var merged = Merge(existing, p, envelope.SourceCenter);
        if (existing is null)
        {
            await store.InsertAsync(merged with { Version = 1 }, ct);
            merged = merged with { Version = 1 };
        }
        else
        {
            merged = merged with { Version = existing.Version + 1 };
            if (!await store.UpdateAsync(merged, existing.Version, ct))
            {
                throw new ConflictException($"transfer {p.Id} changed while the network event was applied; the consumer retries");
            }
        }

        var user = $"network:{envelope.SourceCenter}";
        await uow.Journal.AppendAsync(user, new JournalRecord("transfer", p.Id, "received",
            new { transfer = p, eventId = envelope.EventId, version = envelope.EntityVersion, status = merged.Status.Name() }), ct);

        // The requesting center learns of the acceptance: the record goes now, to the accepting center only.
        if (merged.FromCenter == options.LocalCenter && merged.Status == TransferStatus.Accepted && merged.RecordSentAt is null && merged.PatientId is not null)
        {
            var now = clock.UtcNow;
            var sent = merged with { RecordSentAt = now, Version = merged.Version + 1 };
            if (!await store.UpdateAsync(sent, merged.Version, ct))
            {
                throw new ConflictException($"transfer {p.Id} changed while its record was being sent; the consumer retries");
            }

            var record = await TransferService.RecordAsync(uow, sent, ct);
            await uow.Store<IOutbox>().EnqueueAsync(new OutboxEvent(EventKinds.PatientTransfer, TransferStatePayload.SchemaVersion,
                TransferRecordPayload.EntityKey(sent.ToCenter, sent.Id), JsonSerializer.Serialize(record, TransferService.RecordJson)), now, ct);
            await TransferService.PublishAsync(uow, user, sent, "record-sent",
                new { patientId = sent.PatientId, patient = record.Patient.Code, observations = record.Observations.Count, to = sent.ToCenter }, now, ct);
        }
    }

    private async Task ApplyRecordAsync(IUnitOfWork uow, NetworkEnvelope envelope, CancellationToken ct)
    {
        var r = NetworkJson.Read<TransferRecordPayload>(envelope.PayloadJson, TransferService.RecordJson, nameof(TransferRecordPayload));
        if (r.Transfer is null || r.Incident is null || r.Patient is null)
        {
            throw new DomainValidationException("payload", "a transfer record needs transfer, incident and patient");
        }

        if (r.Transfer.ToCenter != options.LocalCenter)
        {
            // Not ours: addressed to another center. Drop it unread (nothing stored, nothing journaled).
            return;
        }

        if (r.Transfer.FromCenter != envelope.SourceCenter)
        {
            throw new DomainValidationException("fromCenter", $"{envelope.SourceCenter} sent the record of a transfer requested by {r.Transfer.FromCenter}");
        }

        var store = uow.Store<ITransferStore>();
        var t = await store.GetAsync(r.Transfer.Id, ct)
            ?? throw new DomainValidationException("transfer", $"transfer {r.Transfer.Id} is not known here; a record comes only after this center accepted");
        if (t.Accepted != true)
        {
            throw new DomainValidationException("transfer", $"transfer {t.Id} was not accepted by this center ({t.Status.Name()}); its record is refused");
        }

        if (t.ReceivedPatientId is not null)
        {
            return; // Registered already: a re-sent record changes nothing.
        }

        var user = $"network:{envelope.SourceCenter}";
        var provenance = new { fromCenter = t.FromCenter, transferId = t.Id, eventId = envelope.EventId, sourceAssessment = r.Assessment };
        var errors = new List<FieldError>();
        var incident = new NewIncident(r.Incident.Code, r.Incident.Title, Parse(() => IncidentKinds.Parse(r.Incident.Kind, "incident.kind"), errors),
            r.Incident.StartedAt, r.Incident.Place ?? "", r.Incident.Radionuclides ?? []);
        var patient = new NewPatient(r.Patient.Code, r.Patient.AgeYears, Enum<Sex>(r.Patient.Sex, "patient.sex", errors), r.Patient.WeightKg,
            r.Patient.ExposureStart, r.Patient.ExposureHours, Enum<ExposureRoute>(r.Patient.Route, "patient.route", errors),
            r.Patient.Contaminated, r.Patient.Burns, r.Patient.Trauma, r.Patient.HlaTyping);
        var observations = (r.Observations ?? []).Select((o, i) => new TransferredObservation(
            Parse(() => ObservationKinds.Parse(o.Kind, $"observations[{i}].kind"), errors), o.ObservedAt, o.Data ?? new ObservationData(), o.RecordedBy ?? "", o.RecordedAt)).ToList();
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        var (received, assessment) = await care.RegisterTransferredPatientAsync(uow, user, incident, patient, observations, provenance, ct);
        var now = clock.UtcNow;
        var updated = t with { ReceivedPatientId = received.Id, RecordReceivedAt = now, Version = t.Version + 1 };
        if (!await store.UpdateAsync(updated, t.Version, ct))
        {
            throw new ConflictException($"transfer {t.Id} changed while its record was registered; the consumer retries");
        }

        await uow.Journal.AppendAsync(user, new JournalRecord("transfer", t.Id, "record-received",
            new { patientId = received.Id, patient = received.Code, observations = observations.Count, triage = assessment.Triage, assessment.ResponseCategory, provenance }), ct);
    }

    /// <summary>
    /// <paramref name="existing"/> with the fields <paramref name="source"/> owns taken from
    /// <paramref name="p"/>: the requesting center's request, record, dispatch and release; the
    /// receiving center's decision and admission. Local ids stay as they are.
    /// </summary>
    public static PatientTransfer Merge(PatientTransfer? existing, TransferStatePayload p, string source)
    {
        ArgumentNullException.ThrowIfNull(p);
        var errors = new List<FieldError>();
        if (RadRegen.Bank.Identity.Din.TryFacility(p.FromCenter) != p.FromCenter || RadRegen.Bank.Identity.Din.TryFacility(p.ToCenter) != p.ToCenter)
        {
            errors.Add(new FieldError("fromCenter", $"{p.FromCenter} → {p.ToCenter} are not two facility codes"));
        }
        else if (source != p.FromCenter && source != p.ToCenter)
        {
            errors.Add(new FieldError("sourceCenter", $"{source} is neither side of transfer {p.Id} ({p.FromCenter} → {p.ToCenter})"));
        }

        if (existing is not null && (existing.FromCenter != p.FromCenter || existing.ToCenter != p.ToCenter))
        {
            errors.Add(new FieldError("toCenter", $"transfer {p.Id} is {existing.FromCenter} → {existing.ToCenter} here, not {p.FromCenter} → {p.ToCenter}"));
        }

        BedType? bed = string.IsNullOrWhiteSpace(p.BedType) ? null : Parse(() => BedTypes.Parse(p.BedType), errors);
        new InputLimits(errors).Text("reason", p.Reason, Limits.FreeText).Text("declineReason", p.DeclineReason, Limits.FreeText)
            .Text("releaseReason", p.ReleaseReason, Limits.FreeText).Text("requestedBy", p.RequestedBy, Limits.ShortName);
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        var t = existing ?? new PatientTransfer(p.Id, p.FromCenter, p.ToCenter, null, p.Triage, p.ResponseCategory, p.BasisDoseGy, bed, p.Reason,
            p.RequestedAt, p.RequestedBy, null, null, null, null, null, null, null, null, null, null, null, null, null, null, 0);
        return source == p.FromCenter
            ? t with
            {
                Triage = p.Triage, ResponseCategory = p.ResponseCategory, BasisDoseGy = p.BasisDoseGy, BedType = bed, Reason = p.Reason,
                RequestedAt = p.RequestedAt, RequestedBy = p.RequestedBy, RecordSentAt = p.RecordSentAt ?? t.RecordSentAt,
                DispatchedAt = p.DispatchedAt, DispatchedBy = p.DispatchedBy, ReleasedAt = p.ReleasedAt, ReleasedBy = p.ReleasedBy, ReleaseReason = p.ReleaseReason,
            }
            : t with
            {
                Accepted = p.Accepted, DecidedAt = p.DecidedAt, DecidedBy = p.DecidedBy, DeclineReason = p.DeclineReason,
                AdmittedAt = p.AdmittedAt, AdmittedBy = p.AdmittedBy,
            };
    }

    private static T Parse<T>(Func<T> parse, List<FieldError> errors)
    {
        try
        {
            return parse();
        }
        catch (DomainValidationException ex)
        {
            errors.AddRange(ex.Errors);
            return default!;
        }
    }

    private static TEnum Enum<TEnum>(string? text, string field, List<FieldError> errors)
        where TEnum : struct, System.Enum
    {
        if (System.Enum.TryParse<TEnum>(text, ignoreCase: true, out var value) && System.Enum.IsDefined(value))
        {
            return value;
        }

        errors.Add(new FieldError(field, $"'{text}' is not one of {string.Join(", ", System.Enum.GetNames<TEnum>())}"));
        return default;
    }
}
