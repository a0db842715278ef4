using RadRegen.Bank.Hla;
using RadRegen.Bank.Model;
using RadRegen.Core;
using RadRegen.Core.Access;

namespace RadRegen.Bank.Services;

/// <summary>An inventory search as people ask it: HLA by a line's haplotype or by compatibility with a patient's typing; a sort of <see cref="BankLists.Vials"/>.</summary>
public sealed record InventorySearch(
    string? ProductCode = null,
    string? Status = null,
    string? Haplotype = null,
    string? CompatibleWith = null,
    long? LocationId = null,
    DateTimeOffset? ExpiresBefore = null,
    string? LotNumber = null,
    int Page = 1,
    int PageSize = 50,
    string? Sort = null);

/// <summary>A banked homozygous line: its haplotype (donor) and its released vials.</summary>
public sealed record HaplobankLine(CellLine Line, Donor Donor, int ReleasedVials);

/// <summary>The inventory as people search it: by product, status, place, expiry, lot, and HLA (haplotype or compatibility); the haplobank; a vial's lineage.</summary>
public sealed class InventoryService(IUnitOfWorkFactory units, IHlaTyping hla, IClock clock)
{
    public async Task<InventoryPage> SearchAsync(Actor actor, InventorySearch search, CancellationToken ct = default)
    {
        BankRules.Read(actor);
        ArgumentNullException.ThrowIfNull(search);
        Paging.Validate(search.Page, search.PageSize);
        var order = BankLists.Vials.Require(search.Sort);

        VialStatus? status = string.IsNullOrWhiteSpace(search.Status) ? null : Lifecycle.ParseVial(search.Status);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        var store = uow.Store<IBankStore>();
        if (!string.IsNullOrWhiteSpace(search.ProductCode))
        {
            await BankRules.ProductAsync(store, search.ProductCode, ct);
        }

        List<long>? lineIds = null;
        if (!string.IsNullOrWhiteSpace(search.Haplotype) || !string.IsNullOrWhiteSpace(search.CompatibleWith))
        {
            lineIds = await MatchingLinesAsync(store, search.Haplotype, search.CompatibleWith, ct);
        }

        var now = clock.UtcNow;
        var page = await store.SearchAsync(new InventoryQuery(search.ProductCode?.Trim().ToUpperInvariant(), status, lineIds, search.LocationId,
            search.ExpiresBefore, null, search.LotNumber, search.Page, search.PageSize) { Now = now, Order = order }, ct);

        // One expiry rule: a live vial past its expiry reads expired before the expiry run writes it.
        return page with { Items = [.. page.Items.Select(i => i with { Vial = i.Vial with { Status = Expiry.VialStatusAt(i.Vial, now) } })] };
    }

    /// <summary>Lines whose donor has the haplotype, or is HvG-compatible with a patient's typing (through RadRegen.Hla).</summary>
    private async Task<List<long>> MatchingLinesAsync(IBankStore store, string? haplotype, string? compatibleWith, CancellationToken ct)
    {
        IEnumerable<LineTyping> result = await store.ListLineTypingsAsync(ct);
        if (!string.IsNullOrWhiteSpace(haplotype))
        {
            var h = haplotype.Trim();
            result = result.Where(l => string.Equals(l.Haplotype, h, StringComparison.OrdinalIgnoreCase)
                || (l.HlaGl?.Contains(h, StringComparison.OrdinalIgnoreCase) ?? false));
        }

        if (!string.IsNullOrWhiteSpace(compatibleWith))
        {
            if (!hla.Available)
            {
                throw new RuleViolationException("HLA compatibility search needs the HLA library, which this build does not include yet");
            }

            string patient;
            try
            {
                patient = hla.Analyze(compatibleWith).GlString;
            }
            catch (DomainValidationException ex)
            {
                throw new DomainValidationException("compatibleWith", ex.Errors[0].Message);
            }

            // Many lines share a typing: judge each distinct donor typing once.
            var verdicts = new Dictionary<string, bool>(StringComparer.Ordinal);
            result = result.Where(l => l.HlaGl is { } gl
                && (verdicts.TryGetValue(gl, out var ok) ? ok : verdicts[gl] = hla.IsCompatible(gl, patient)));
        }

        return [.. result.Select(l => l.LineId)];
    }

    /// <summary>
    /// The haplobank: lines of homozygous donors whose consent stands, with how many released
    /// vials each has (only lines with released vials count as banked).
    /// </summary>
    public async Task<IReadOnlyList<HaplobankLine>> HaplobankLinesAsync(Actor actor, CancellationToken ct = default)
    {
        BankRules.Read(actor);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        var store = uow.Store<IBankStore>();
        var donors = (await store.ListDonorsAsync(ct)).ToDictionary(d => d.Id);
        var released = await store.CountVialsByLineAsync(VialStatus.Released, ct);
        return [.. (await store.ListLinesAsync(null, ct))
            .Select(l => (Line: l, Donor: donors[l.DonorId]))
            .Where(x => x.Donor.Homozygous == true && x.Donor.Haplotype is not null && !x.Donor.ConsentWithdrawn && released.ContainsKey(x.Line.Id))
            .Select(x => new HaplobankLine(x.Line, x.Donor, released[x.Line.Id]))];
    }

    public async Task<Lineage> LineageAsync(Actor actor, long vialId, CancellationToken ct = default)
    {
        BankRules.Read(actor);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await uow.Store<IBankStore>().LineageAsync(vialId, ct) ?? throw new NotFoundException($"no vial {vialId}");
    }
}
