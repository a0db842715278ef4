using RadRegen.Bank.Model;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;

namespace RadRegen.Bank.Services;

/// <param name="IntendedUse">Clinical (the default) or research; a donor who is not eligible seeds research lines only (ADR 0016).</param>
public sealed record CreateLineRequest(string Code, long DonorId, string Method, string CloneName, int Passage, IntendedUse? IntendedUse = null);

public sealed record CreateBankRequest(string Code, CellBankKind Kind, long LineId, long? ParentId, int Passage, int Vials);

/// <summary>iPSC lines and the cell banks laid down from them: a master cell bank from the line, working cell banks from a master.</summary>
public sealed class LineService(IUnitOfWorkFactory units, IClock clock)
{
    public async Task<CellLine> CreateLineAsync(Actor actor, CreateLineRequest request, string? reason = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        actor.Demand(Operation.BankLineCreate);
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var line = await InsertLineAsync(uow, actor, request, clock.UtcNow, reason, ct);
        await uow.CommitAsync(ct);
        return line;
    }

    internal static async Task<CellLine> InsertLineAsync(IUnitOfWork uow, Actor actor, CreateLineRequest request, DateTimeOffset now, string? reason,
        CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var code = (request.Code ?? "").Trim();
        if (!BankRules.CodePattern().IsMatch(code.ToUpperInvariant()))
        {
            errors.Add(new("code", "a line code is 3–20 letters, digits or '-'"));
        }

        if (string.IsNullOrWhiteSpace(request.Method))
        {
            errors.Add(new("method", "state the reprogramming method (e.g. episomal plasmid, Sendai virus)"));
        }

        if (string.IsNullOrWhiteSpace(request.CloneName))
        {
            errors.Add(new("clone", "name the clone"));
        }

        if (request.Passage is < 0 or > 200)
        {
            errors.Add(new("passage", "passage is 0–200"));
        }

        errors.AddRange(TextErrors(request.Method, request.CloneName, reason));
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        var use = request.IntendedUse ?? IntendedUse.Clinical;
        if (use == IntendedUse.StartingMaterial)
        {
            throw new DomainValidationException("intendedUse", "a line is for clinical or research use (starting material is a product's intended use)");
        }

        var store = uow.Store<IBankStore>();
        var donor = await BankRules.DonorAsync(store, request.DonorId, ct);
        BankRules.UsableDonor(donor, "a new line");
        if (use == IntendedUse.Clinical)
        {
            DonorEligibility.RequireClinical(donor, $"line {code}");
        }
        else
        {
            DonorEligibility.RequireResearchConsent(donor, $"line {code}");
        }

        if (await store.FindLineByCodeAsync(code, ct) is not null)
        {
            throw new ConflictException($"line {code} exists already");
        }

        var line = new CellLine(0, code, donor.Id, request.Method.Trim(), request.CloneName.Trim(), request.Passage, null, now, actor.UserName)
        {
            IntendedUse = use,
        };
        line = line with { Id = await store.InsertLineAsync(line, ct) };
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("line", line.Code, "created",
            new { line.Code, donor = donor.Code, line.Method, line.CloneName, line.Passage, intendedUse = IntendedUses.Name(use) }, reason), ct);
        return line;
    }

    /// <summary>
    /// The lengths of a line's texts (issue 12 item 8, <see cref="Limits"/>): method and clone are
    /// short names, the reason free text. The inventory import checks its rows with the same rule
    /// (its columns are named <c>method</c> and <c>clone</c> too).
    /// </summary>
    internal static IReadOnlyList<FieldError> TextErrors(string? method, string? cloneName, string? reason) =>
        new InputLimits().Text("method", method, Limits.ShortName).Text("clone", cloneName, Limits.ShortName).Text("reason", reason, Limits.FreeText).Errors;

    public async Task<CellLine> GetLineAsync(Actor actor, long id, CancellationToken ct = default)
    {
        BankRules.Read(actor);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await uow.Store<IBankStore>().FindLineAsync(id, ct) ?? throw new NotFoundException($"no line {id}");
    }

    public async Task<IReadOnlyList<CellLine>> ListLinesAsync(Actor actor, long? donorId = null, CancellationToken ct = default)
    {
        BankRules.Read(actor);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await uow.Store<IBankStore>().ListLinesAsync(donorId, ct);
    }

    /// <summary>One page of lines: search by line code, clone, method or donor code; sort by <see cref="BankLists.Lines"/>.</summary>
    public async Task<ListPage<CellLine>> SearchLinesAsync(Actor actor, ListQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        BankRules.Read(actor);
        var order = query.Validate(BankLists.Lines);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await uow.Store<IBankStore>().SearchLinesAsync(query, order, ct);
    }

    public async Task<CellBank> CreateBankAsync(Actor actor, CreateBankRequest request, string? reason = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        actor.Demand(Operation.BankCellBankCreate);
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var bank = await InsertBankAsync(uow, actor, request, clock.UtcNow, reason, ct);
        await uow.CommitAsync(ct);
        return bank;
    }

    internal static async Task<CellBank> InsertBankAsync(IUnitOfWork uow, Actor actor, CreateBankRequest request, DateTimeOffset now, string? reason,
        CancellationToken ct)
    {
        var code = (request.Code ?? "").Trim();
        var errors = new List<FieldError>();
        if (!BankRules.CodePattern().IsMatch(code.ToUpperInvariant()))
        {
            errors.Add(new("code", "a bank code is 3–20 letters, digits or '-'"));
        }

        if (request.Vials is < 1 or > 10000)
        {
            errors.Add(new("vials", "a bank holds 1–10000 vials"));
        }

        if (request.Passage is < 0 or > 200)
        {
            errors.Add(new("passage", "passage is 0–200"));
        }

        if (request.Kind == CellBankKind.Mcb && request.ParentId is not null)
        {
            errors.Add(new("parentId", "a master cell bank comes from the line itself, not from another bank"));
        }

        if (request.Kind == CellBankKind.Wcb && request.ParentId is null)
        {
            errors.Add(new("parentId", "a working cell bank is expanded from one master cell bank: name it"));
        }

        new InputLimits(errors).Text("reason", reason, Limits.FreeText);

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        var store = uow.Store<IBankStore>();
        var line = await store.FindLineAsync(request.LineId, ct) ?? throw new NotFoundException($"no line {request.LineId}");
        var donor = await BankRules.DonorAsync(store, line.DonorId, ct);
        BankRules.UsableDonor(donor, "a new cell bank");
        if (line.IntendedUse == IntendedUse.Clinical)
        {
            // Re-checked here, not only at the line: a line written before this gate (ADR 0016) is not trusted blindly.
            DonorEligibility.RequireClinical(donor, $"cell bank {code}");
        }

        if (request.ParentId is { } parentId)
        {
            var parent = await store.FindBankAsync(parentId, ct) ?? throw new NotFoundException($"no cell bank {parentId}");
            if (parent.Kind != CellBankKind.Mcb || parent.LineId != line.Id)
            {
                throw new DomainValidationException("parentId", $"{parent.Code} is not a master cell bank of line {line.Code}");
            }
        }

        if (await store.FindBankByCodeAsync(code, ct) is not null)
        {
            throw new ConflictException($"cell bank {code} exists already");
        }

        var bank = new CellBank(0, code, request.Kind, line.Id, request.ParentId, request.Passage, request.Vials, now, actor.UserName);
        bank = bank with { Id = await store.InsertBankAsync(bank, ct) };
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("cell-bank", bank.Code, "created",
            new { bank.Code, kind = bank.Kind.ToString().ToUpperInvariant(), line = line.Code, bank.ParentId, bank.Passage, bank.Vials }, reason), ct);
        return bank;
    }

    public async Task<IReadOnlyList<CellBank>> ListBanksAsync(Actor actor, long lineId, CancellationToken ct = default)
    {
        BankRules.Read(actor);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await uow.Store<IBankStore>().ListBanksAsync(lineId, ct);
    }
}
