using System.Text.Json;
using RadRegen.Care;
using RadRegen.Care.Records;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;
using RadRegen.Core.Messaging;
using RadRegen.Network.Capacity;
using RadRegen.Network.Events;

namespace RadRegen.Network.Transfers;

/// <summary>
/// Patient transfers between centers, shaped like EDXL-TEP (issue 13 item 5). The requesting center
/// asks; the receiving center accepts or declines with a reason; when the requesting center learns
/// of the acceptance it sends the patient's record (observations, assessment, HLA) to that center
/// alone (<see cref="PatientTransferHandler"/>), where it becomes a patient assessed by the same
/// engine; the requesting center dispatches the patient (in transport) or releases them, and the
/// receiving center admits them. Every step is journaled and published in its unit of work; a step
/// the state does not allow is refused (<see cref="RuleViolationException"/>), nothing written.
/// </summary>
public sealed class TransferService(IUnitOfWorkFactory units, IClock clock, CapacityOptions options)
{
    public async Task<PatientTransfer> RequestAsync(Actor actor, NewTransfer input, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(input);
        actor.Demand(Operation.NetworkTransferRequest);
        var here = options.RequireLocalCenter();
        var errors = new List<FieldError>();
        if (input.PatientId is null)
        {
            errors.Add(new FieldError("patientId", "is required"));
        }

        var to = RadRegen.Bank.Identity.Din.TryFacility(input.ToCenter);
        if (to is null)
        {
            errors.Add(new FieldError("toCenter", $"'{input.ToCenter}' is not a facility code (a letter and four letters or digits, e.g. G1234)"));
        }
        else if (to == here)
        {
            errors.Add(new FieldError("toCenter", $"{to} is this center; a transfer goes to another center of the network"));
        }

        BedType? bed = null;
        if (!string.IsNullOrWhiteSpace(input.BedType))
        {
            try
            {
                bed = BedTypes.Parse(input.BedType);
            }
            catch (DomainValidationException ex)
            {
                errors.AddRange(ex.Errors);
            }
        }

        new InputLimits(errors).Text("reason", input.Reason, Limits.FreeText);
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var care = uow.Store<ICareStore>();
        var patient = await care.GetPatientAsync(input.PatientId!.Value, ct) ?? throw new NotFoundException($"no patient {input.PatientId}");
        var assessment = await care.GetAssessmentAsync(patient.Id, ct);
        if (assessment?.Triage is null)
        {
            // EDXL-TEP: an encountered patient is triaged before transport; RITN centers receive triaged patients (reference notes §0.3).
            throw new RuleViolationException($"patient {patient.Code} has no triage colour yet (EDXL-TEP 'encountered', not 'triaged'); record observations until the assessment gives one");
        }

        var store = uow.Store<ITransferStore>();
        if ((await store.ListForPatientAsync(patient.Id, ct)).FirstOrDefault(t => t.Status.IsOpen()) is { } open)
        {
            throw new ConflictException($"patient {patient.Code} already has an open transfer to {open.ToCenter} ({open.Status.Name()})");
        }

        var now = clock.UtcNow;
        var transfer = new PatientTransfer(Guid.NewGuid().ToString("D"), here, to!, patient.Id, assessment.Triage, assessment.ResponseCategory, assessment.BasisDoseGy,
            bed, string.IsNullOrWhiteSpace(input.Reason) ? null : input.Reason.Trim(), now, actor.UserName,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, 1);
        await store.InsertAsync(transfer, ct);
        await PublishAsync(uow, actor.UserName, transfer, "requested", new { patientId = patient.Id, patient = patient.Code }, now, ct);
        await uow.CommitAsync(ct);
        return transfer;
    }

    /// <summary>The receiving center accepts: the requesting center then sends the record here.</summary>
    public Task<PatientTransfer> AcceptAsync(Actor actor, string id, CancellationToken ct = default) =>
        StepAsync(actor, id, Operation.NetworkTransferDecide, Side.Receiver, [TransferStatus.Requested], "accepted", null,
            (t, now, who) => t with { Accepted = true, DecidedAt = now, DecidedBy = who }, ct);

    /// <summary>The receiving center declines, with its reason (required).</summary>
    public Task<PatientTransfer> DeclineAsync(Actor actor, string id, string? reason, CancellationToken ct = default) =>
        StepAsync(actor, id, Operation.NetworkTransferDecide, Side.Receiver, [TransferStatus.Requested], "declined", Reason(reason),
            (t, now, who) => t with { Accepted = false, DecidedAt = now, DecidedBy = who, DeclineReason = reason!.Trim() }, ct);

    /// <summary>The requesting center dispatches the accepted patient (EDXL-TEP "in transport").</summary>
    public Task<PatientTransfer> DispatchAsync(Actor actor, string id, CancellationToken ct = default) =>
        StepAsync(actor, id, Operation.NetworkTransferTrack, Side.Requester, [TransferStatus.Accepted], "dispatched", null,
            (t, now, who) => t with { DispatchedAt = now, DispatchedBy = who }, ct);

    /// <summary>The receiving center admits the patient on arrival (EDXL-TEP "admitted"); their record must have arrived.</summary>
    public Task<PatientTransfer> AdmitAsync(Actor actor, string id, CancellationToken ct = default) =>
        StepAsync(actor, id, Operation.NetworkTransferTrack, Side.Receiver, [TransferStatus.InTransport], "admitted", null,
            (t, now, who) => t.ReceivedPatientId is null
                ? throw new RuleViolationException($"transfer {t.Id}: the patient's record has not arrived from {t.FromCenter} yet; admit once it has")
                : t with { AdmittedAt = now, AdmittedBy = who }, ct);

    /// <summary>The requesting center releases the patient instead of sending them (EDXL-TEP "released"), with a reason.</summary>
    public Task<PatientTransfer> ReleaseAsync(Actor actor, string id, string? reason, CancellationToken ct = default) =>
        StepAsync(actor, id, Operation.NetworkTransferTrack, Side.Requester, [TransferStatus.Requested, TransferStatus.Accepted], "released", Reason(reason),
            (t, now, who) => t with { ReleasedAt = now, ReleasedBy = who, ReleaseReason = reason!.Trim() }, ct);

    public async Task<IReadOnlyList<PatientTransfer>> ListAsync(Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.NetworkTransferRead);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await uow.Store<ITransferStore>().ListAsync(ct);
    }

    public async Task<PatientTransfer> GetAsync(Actor actor, string id, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.NetworkTransferRead);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await uow.Store<ITransferStore>().GetAsync(id ?? "", ct) ?? throw new NotFoundException($"no transfer {id}");
    }

    /// <summary>This center's facility code (the side it plays in a transfer).</summary>
    public string? LocalCenter => options.LocalCenter;

    private enum Side
    {
        Requester,
        Receiver,
    }

    private static FieldError? Reason(string? reason) =>
        string.IsNullOrWhiteSpace(reason) ? new FieldError("reason", "is required (say why)")
        : reason.Length > Limits.FreeText.MaxLength ? new FieldError("reason", InputLimits.TooLong(reason.Length, Limits.FreeText))
        : null;

    private async Task<PatientTransfer> StepAsync(Actor actor, string id, Operation operation, Side side, TransferStatus[] from, string action,
        FieldError? inputError, Func<PatientTransfer, DateTimeOffset, string, PatientTransfer> change, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(operation);
        if (inputError is not null)
        {
            throw new DomainValidationException([inputError]);
        }

        var here = options.RequireLocalCenter();
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<ITransferStore>();
        var t = await store.GetAsync(id ?? "", ct) ?? throw new NotFoundException($"no transfer {id}");
        var owner = side == Side.Requester ? t.FromCenter : t.ToCenter;
        if (owner != here)
        {
            throw new RuleViolationException($"transfer {t.Id}: only the {(side == Side.Requester ? "requesting" : "receiving")} center {owner} may record '{action}'; this is {here}");
        }

        if (!from.Contains(t.Status))
        {
            throw new RuleViolationException($"transfer {t.Id} is {t.Status.Name()}; '{action}' needs it {string.Join(" or ", from.Select(s => s.Name()))}");
        }

        var now = clock.UtcNow;
        var changed = change(t, now, actor.UserName) with { Version = t.Version + 1 };
        if (!await store.UpdateAsync(changed, t.Version, ct))
        {
            throw new ConflictException($"transfer {t.Id} was changed meanwhile (by this center or a network event); reload");
        }

        await PublishAsync(uow, actor.UserName, changed, action, null, now, ct);
        await uow.CommitAsync(ct);
        return changed;
    }

    /// <summary>Journals a transfer step and enqueues the transfer's whole shared state, in the caller's unit of work.</summary>
    internal static async Task PublishAsync(IUnitOfWork uow, string user, PatientTransfer t, string action, object? local, DateTimeOffset now, CancellationToken ct)
    {
        var payload = TransferStatePayload.From(t);
        await uow.Journal.AppendAsync(user, new JournalRecord("transfer", t.Id, action, new { transfer = payload, local }), ct);
        await uow.Store<IOutbox>().EnqueueAsync(new OutboxEvent(EventKinds.PatientTransfer, TransferStatePayload.SchemaVersion,
            TransferStatePayload.EntityKey(t.Id), JsonSerializer.Serialize(payload, NetworkJson.Options)), now, ct);
    }

    /// <summary>
    /// The patient's record for the receiving center: incident, registration facts and HLA typing,
    /// every observation with who recorded it, the current assessment's conclusion.
    /// </summary>
    internal static async Task<TransferRecordPayload> RecordAsync(IUnitOfWork uow, PatientTransfer t, CancellationToken ct)
    {
        var care = uow.Store<ICareStore>();
        var p = await care.GetPatientAsync(t.PatientId ?? 0, ct) ?? throw new NotFoundException($"transfer {t.Id}: no patient {t.PatientId} at this center");
        var i = (await care.GetIncidentAsync(p.IncidentId, ct))!;
        var observations = await care.ListObservationsAsync(p.Id, ct);
        var a = await care.GetAssessmentAsync(p.Id, ct);
        return new TransferRecordPayload(
            TransferStatePayload.From(t),
            new TransferredIncident(i.Code, i.Title, i.Kind.Name(), i.StartedAt, i.Place, i.Radionuclides),
            new TransferredPatient(p.Code, p.AgeYears, p.Sex.ToString(), p.WeightKg, p.ExposureStart, p.ExposureHours, p.Route.ToString(),
                p.Contaminated, p.Burns, p.Trauma, p.HlaTyping),
            [.. observations.OrderBy(o => o.ObservedAt).ThenBy(o => o.Id).Select(o => new TransferredObservationPayload(o.Kind.Name(), o.ObservedAt, o.Data, o.RecordedBy, o.RecordedAt))],
            a is null ? null : new SourceAssessment(a.Version, a.Triage, a.ResponseCategory, a.BasisDoseGy));
    }

    /// <summary>The record payload's JSON: care's own options (observation values as care stores them).</summary>
    internal static JsonSerializerOptions RecordJson => CareJson.Options;
}
