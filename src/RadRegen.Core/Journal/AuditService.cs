using RadRegen.Core.Access;

namespace RadRegen.Core.Journal;

/// <summary>Reading and verifying the journal: for auditors, QA and administrators.</summary>
public sealed class AuditService(IUnitOfWorkFactory units, IJournalCheckpoints? checkpoints = null)
{
    public async Task<JournalPage> BrowseAsync(Actor actor, JournalQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(query);
        actor.Demand(Operation.AuditRead);
        if (query.From is { } from && query.To is { } to && to <= from)
        {
            throw new DomainValidationException("to", "must be after 'from'");
        }

        Paging.Validate(query.Page, query.PageSize);
        var order = JournalLists.Entries.Require(query.Sort);
        new InputLimits().Text("recordType", query.RecordType, Limits.ShortName).Text("recordId", query.RecordId, Limits.ShortName)
            .Text("user", query.User, Limits.ShortName).ThrowIfAny();

        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await uow.Journal.QueryAsync(query, order, ct);
    }

    /// <summary>
    /// Recomputes the whole chain from entry 1 and names the first entry that does not verify, then
    /// checks the journal against the configured checkpoint log (a cut tail, a rewritten history, a
    /// forged checkpoint; ADR 0019).
    /// </summary>
    public Task<JournalVerification> VerifyAsync(Actor actor, CancellationToken ct = default) =>
        VerifyAsync(actor, checkpoints, ct);

    /// <summary>As <see cref="VerifyAsync(Actor, CancellationToken)"/> against the given checkpoints (a witness's copy), or none.</summary>
    public async Task<JournalVerification> VerifyAsync(Actor actor, IJournalCheckpoints? against, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.AuditRead);
        // The log is read first: a checkpoint written while the journal is walked then anchors an
        // entry the walk will reach, never one beyond the journal it read.
        var anchors = against is null ? null : new JournalAnchorCheck(await against.ReadAsync(ct));
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        var verifier = new JournalChain.Verifier();
        await foreach (var entry in uow.Journal.ReadAllAsync(ct))
        {
            if (!verifier.Accept(entry))
            {
                break;
            }

            anchors?.Accepted(entry);
        }

        return anchors is null ? verifier.Result : verifier.Result with { Anchoring = anchors.Finish(verifier.Result) };
    }

    public async Task<IReadOnlyList<ElectronicSignature>> SignaturesAsync(Actor actor, string recordType, string recordId,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.AuditRead);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await uow.Store<ISignatureStore>().ListForRecordAsync(recordType, recordId, ct);
    }
}
