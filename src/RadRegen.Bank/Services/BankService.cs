using System.Security.Cryptography;
using System.Text.RegularExpressions;
using RadRegen.Bank.Catalogue;
using RadRegen.Bank.Hla;
using RadRegen.Bank.Model;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;

namespace RadRegen.Bank.Services;

/// <summary>The center's settings for the bank.</summary>
/// <param name="FacilityCode">ISBT 128 facility identification number (αpppp) that begins every DIN.</param>
public sealed record BankOptions(string FacilityCode = "W0001");

public sealed record RegisterDonorRequest(
    string? Code,
    ConsentScopes Consent,
    DateTimeOffset? ConsentedAt,
    IReadOnlyList<ScreeningResult> Screening,
    string? HlaGl,
    string? Reason = null);

public sealed record CreateLineRequest(string Code, long DonorId, string Method, string CloneName, int Passage);

public sealed record CreateBankRequest(string Code, CellBankKind Kind, long LineId, long? ParentId, int Passage, int Vials);

/// <summary>
/// The cell bank's domain service. Every method takes the actor, checks the role itself, writes
/// its change and the journal entries in one unit of work, and refuses bad input before writing.
/// </summary>
public sealed partial class BankService(IUnitOfWorkFactory units, IClock clock, SignatureService signatures, IHlaTyping hla, BankOptions options)
{
    public static readonly IReadOnlyList<string> ScreeningMarkers = ["HIV-1/2", "HBV", "HCV", "HTLV-1/2", "Syphilis"];

    public IHlaTyping Hla => hla;

    public BankOptions Options => options;

    // ---------------------------------------------------------------- catalogue

    public async Task<IReadOnlyList<Product>> ListProductsAsync(Actor actor, CancellationToken ct = default)
    {
        Read(actor, "reading the product catalogue");
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await uow.Store<IBankStore>().ListProductsAsync(ct);
    }

    public async Task<Product> GetProductAsync(Actor actor, string code, CancellationToken ct = default)
    {
        Read(actor, "reading the product catalogue");
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await ProductAsync(uow.Store<IBankStore>(), code, ct);
    }

    /// <summary>Adds a product or changes one (with its expected version); QA officers and admins configure the catalogue.</summary>
    public async Task<Product> SaveProductAsync(Actor actor, Product product, int? expectedVersion, string? reason, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(product);
        actor.Demand(Operation.BankCatalogueConfigure);
        product.Validate();
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<IBankStore>();
        var existing = await store.FindProductAsync(product.Code, ct);
        Product saved;
        if (existing is null)
        {
            saved = product with { Version = 1 };
            await store.InsertProductAsync(saved, ct);
        }
        else
        {
            var v = expectedVersion ?? throw new ConflictException($"product {product.Code} exists; give its version to change it");
            if (!await store.UpdateProductAsync(product, v, ct))
            {
                throw new ConflictException($"product {product.Code} was changed by someone else (version {existing.Version}, not {v})");
            }

            saved = product with { Version = v + 1 };
        }

        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("product", saved.Code, existing is null ? "created" : "changed", saved, reason), ct);
        await uow.CommitAsync(ct);
        return saved;
    }

    /// <summary>Writes the seed catalogue's products that are missing (at start, by the system).</summary>
    public async Task<int> EnsureCatalogueAsync(Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.BankCatalogueSeed);
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<IBankStore>();
        var added = 0;
        foreach (var p in SeedCatalogue.Products)
        {
            if (await store.FindProductAsync(p.Code, ct) is null)
            {
                await store.InsertProductAsync(p, ct);
                await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("product", p.Code, "created", p, "seed catalogue"), ct);
                added++;
            }
        }

        await uow.CommitAsync(ct);
        return added;
    }

    // ---------------------------------------------------------------- donors

    public async Task<Donor> RegisterDonorAsync(Actor actor, RegisterDonorRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        actor.Demand(Operation.BankDonorRegister);
        var donor = BuildDonor(request, actor.UserName, clock.UtcNow);
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var saved = await InsertDonorAsync(uow, actor, donor, request.Reason, ct);
        await uow.CommitAsync(ct);
        return saved;
    }

    internal Donor BuildDonor(RegisterDonorRequest request, string user, DateTimeOffset now)
    {
        var errors = new List<FieldError>();
        var code = string.IsNullOrWhiteSpace(request.Code) ? NewDonorCode() : request.Code.Trim().ToUpperInvariant();
        if (!CodePattern().IsMatch(code))
        {
            errors.Add(new("code", "a donor code is 3–20 letters, digits or '-' (pseudonymous: never a name)"));
        }

        if (request.Consent is null || !request.Consent.Banking)
        {
            errors.Add(new("consent", "a donor can be registered only with consent to banking"));
        }

        var screening = new List<ScreeningResult>();
        foreach (var s in request.Screening ?? [])
        {
            var marker = ScreeningMarkers.FirstOrDefault(m => string.Equals(m, s.Marker?.Trim(), StringComparison.OrdinalIgnoreCase));
            var result = s.Result?.Trim().ToLowerInvariant();
            if (marker is null)
            {
                errors.Add(new("screening", $"unknown marker '{s.Marker}'; expected {string.Join(", ", ScreeningMarkers)}"));
            }
            else if (result is not ("negative" or "positive"))
            {
                errors.Add(new($"screening {marker}", "the result is negative or positive"));
            }
            else
            {
                screening.Add(new ScreeningResult(marker, result));
            }
        }

        if (screening.GroupBy(s => s.Marker).Any(g => g.Count() > 1))
        {
            errors.Add(new("screening", "each marker once"));
        }

        HlaTypingAnalysis? typing = null;
        if (!string.IsNullOrWhiteSpace(request.HlaGl))
        {
            try
            {
                typing = hla.Analyze(request.HlaGl);
            }
            catch (DomainValidationException ex)
            {
                errors.Add(new("hlaGl", ex.Errors[0].Message));
            }
        }

        var consentedAt = request.ConsentedAt ?? now;
        if (consentedAt > now.AddMinutes(5))
        {
            errors.Add(new("consentedAt", "consent cannot be dated in the future"));
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        var eligible = ScreeningMarkers.All(m => screening.Any(s => s.Marker == m && s.Result == "negative"));
        return new Donor(0, code, request.Consent!, consentedAt, null, null, screening, eligible,
            typing?.GlString, typing?.Homozygous, typing?.Haplotype, now, user);
    }

    internal static async Task<Donor> InsertDonorAsync(IUnitOfWork uow, Actor actor, Donor donor, string? reason, CancellationToken ct)
    {
        var store = uow.Store<IBankStore>();
        if (await store.FindDonorByCodeAsync(donor.Code, ct) is not null)
        {
            throw new ConflictException($"donor {donor.Code} is already registered");
        }

        var id = await store.InsertDonorAsync(donor, ct);
        var saved = donor with { Id = id };
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("donor", saved.Code, "registered", new
        {
            saved.Code,
            consent = saved.Consent,
            consentedAt = JournalTime.ToText(saved.ConsentedAt),
            saved.Screening,
            saved.Eligible,
            hla = saved.HlaGl,
            saved.Homozygous,
        }, reason), ct);
        return saved;
    }

    public async Task<Donor> GetDonorAsync(Actor actor, long id, CancellationToken ct = default)
    {
        Read(actor, "reading donors");
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await DonorAsync(uow.Store<IBankStore>(), id, ct);
    }

    public async Task<IReadOnlyList<Donor>> ListDonorsAsync(Actor actor, CancellationToken ct = default)
    {
        Read(actor, "reading donors");
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await uow.Store<IBankStore>().ListDonorsAsync(ct);
    }

    /// <summary>
    /// Withdraws consent: no new line, bank, lot or reservation from this donor's material; every
    /// existing line, lot and vial is flagged, and each flag is journaled.
    /// </summary>
    public async Task<Donor> WithdrawConsentAsync(Actor actor, long donorId, string reason, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.BankDonorWithdrawConsent);
        RequireReason(reason);
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var store = uow.Store<IBankStore>();
        var donor = await DonorAsync(store, donorId, ct);
        if (donor.ConsentWithdrawn)
        {
            throw new RuleViolationException($"donor {donor.Code} withdrew consent already ({JournalTime.ToText(donor.WithdrawnAt!.Value)})");
        }

        var now = clock.UtcNow;
        var updated = donor with { WithdrawnAt = now, WithdrawalReason = reason.Trim() };
        if (!await store.UpdateDonorAsync(updated, donor.Version, ct))
        {
            throw new ConflictException($"donor {donor.Code} was changed by someone else; reload and try again");
        }

        var flag = $"consent withdrawn {JournalTime.ToText(now)[..10]}";
        await store.FlagLinesOfDonorAsync(donorId, flag, ct);
        await store.FlagLotsOfDonorAsync(donorId, flag, ct);
        var vials = await store.FlagVialsOfDonorAsync(donorId, flag, ct);
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("donor", donor.Code, "consent-withdrawn",
            new { donor.Code, withdrawnAt = JournalTime.ToText(now), flaggedVials = vials.Count }, reason.Trim()), ct);
        foreach (var vialId in vials)
        {
            await store.InsertCustodyAsync(new CustodyEvent(0, vialId, now, actor.UserName, "flagged", null, "flagged", null, null, flag), ct);
        }

        await uow.CommitAsync(ct);
        return updated with { Version = donor.Version + 1 };
    }

    // ---------------------------------------------------------------- lines and banks

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
        if (!CodePattern().IsMatch(code.ToUpperInvariant()))
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

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        var store = uow.Store<IBankStore>();
        var donor = await DonorAsync(store, request.DonorId, ct);
        UsableDonor(donor, "a new line");
        if (await store.FindLineByCodeAsync(code, ct) is not null)
        {
            throw new ConflictException($"line {code} exists already");
        }

        var line = new CellLine(0, code, donor.Id, request.Method.Trim(), request.CloneName.Trim(), request.Passage, null, now, actor.UserName);
        line = line with { Id = await store.InsertLineAsync(line, ct) };
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("line", line.Code, "created",
            new { line.Code, donor = donor.Code, line.Method, line.CloneName, line.Passage }, reason), ct);
        return line;
    }

    public async Task<CellLine> GetLineAsync(Actor actor, long id, CancellationToken ct = default)
    {
        Read(actor, "reading lines");
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await uow.Store<IBankStore>().FindLineAsync(id, ct) ?? throw new NotFoundException($"no line {id}");
    }

    public async Task<IReadOnlyList<CellLine>> ListLinesAsync(Actor actor, long? donorId = null, CancellationToken ct = default)
    {
        Read(actor, "reading lines");
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await uow.Store<IBankStore>().ListLinesAsync(donorId, ct);
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
        if (!CodePattern().IsMatch(code.ToUpperInvariant()))
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

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        var store = uow.Store<IBankStore>();
        var line = await store.FindLineAsync(request.LineId, ct) ?? throw new NotFoundException($"no line {request.LineId}");
        UsableDonor(await DonorAsync(store, line.DonorId, ct), "a new cell bank");
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
        Read(actor, "reading cell banks");
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await uow.Store<IBankStore>().ListBanksAsync(lineId, ct);
    }

    // ---------------------------------------------------------------- helpers

    private static void Read(Actor actor, string what)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.BankRead);
    }

    private static void RequireReason(string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainValidationException("reason", "give a reason (it is recorded on the journal)");
        }

        if (reason.Length > 500)
        {
            throw new DomainValidationException("reason", "a reason is at most 500 characters");
        }
    }

    internal static async Task<Product> ProductAsync(IBankStore store, string code, CancellationToken ct) =>
        await store.FindProductAsync((code ?? "").Trim().ToUpperInvariant(), ct)
        ?? throw new DomainValidationException("productCode", $"unknown product code '{code}'");

    internal static async Task<Donor> DonorAsync(IBankStore store, long id, CancellationToken ct) =>
        await store.FindDonorAsync(id, ct) ?? throw new NotFoundException($"no donor {id}");

    internal static void UsableDonor(Donor donor, string what)
    {
        if (donor.ConsentWithdrawn)
        {
            throw new RuleViolationException($"donor {donor.Code} withdrew consent: {what} cannot be made from this material");
        }
    }

    private static string NewDonorCode()
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        Span<char> chars = stackalloc char[8];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        }

        return "D-" + new string(chars);
    }

    [GeneratedRegex("^[A-Z0-9][A-Z0-9-]{2,19}$")]
    private static partial Regex CodePattern();
}
