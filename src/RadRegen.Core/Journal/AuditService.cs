using RadRegen.Core.Access;

namespace RadRegen.Core.Journal;

/// <summary>Reading and verifying the journal: for auditors, QA and administrators.</summary>
public sealed class AuditService(IUnitOfWorkFactory units)
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

        if (query.PageSize is < 1 or > 500)
        {
            throw new DomainValidationException("pageSize", "must be between 1 and 500");
        }

        if (query.Page < 1)
        {
            throw new DomainValidationException("page", "must be 1 or more");
        }

        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await uow.Journal.QueryAsync(query, ct);
    }

    /// <summary>Recomputes the whole chain from entry 1 and names the first entry that does not verify.</summary>
    public async Task<JournalVerification> VerifyAsync(Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.AuditRead);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        var verifier = new JournalChain.Verifier();
        await foreach (var entry in uow.Journal.ReadAllAsync(ct))
        {
            if (!verifier.Accept(entry))
            {
                break;
            }
        }

        return verifier.Result;
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
