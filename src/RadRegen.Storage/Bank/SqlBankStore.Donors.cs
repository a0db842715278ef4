using RadRegen.Core;
using System.Text.Json;
using RadRegen.Bank;
using RadRegen.Bank.Model;

namespace RadRegen.Storage.Bank;

/// <summary>Donors and consent, the lines derived from them, and their master and working cell banks.</summary>
internal sealed partial class SqlBankStore
{
    internal const string DonorCols = "{0}.id AS Id, {0}.code AS Code, {0}.consent_banking AS ConsentBanking, {0}.consent_research AS ConsentResearch, "
        + "{0}.consent_clinical AS ConsentClinical, {0}.consented_at AS ConsentedAt, {0}.withdrawn_at AS WithdrawnAt, {0}.withdrawal_reason AS WithdrawalReason, "
        + "{0}.screening AS Screening, {0}.eligible AS Eligible, {0}.hla_gl AS HlaGl, {0}.homozygous AS Homozygous, {0}.haplotype AS Haplotype, "
        + "{0}.registered_at AS RegisteredAt, {0}.registered_by AS RegisteredBy, {0}.version AS Version";

    private static readonly string DonorSelect = "SELECT " + Cols(DonorCols, "d") + " FROM bank_donors d";

    public Task<long> InsertDonorAsync(Donor d, CancellationToken ct) =>
        session.InsertReturningIdAsync(
            "INSERT INTO bank_donors (code, consent_banking, consent_research, consent_clinical, consented_at, withdrawn_at, withdrawal_reason, screening, "
            + "eligible, hla_gl, homozygous, haplotype, registered_at, registered_by, version) VALUES (@Code, @ConsentBanking, @ConsentResearch, "
            + "@ConsentClinical, @ConsentedAt, @WithdrawnAt, @WithdrawalReason, @Screening, @Eligible, @HlaGl, @Homozygous, @Haplotype, @RegisteredAt, "
            + "@RegisteredBy, 1) RETURNING id", DonorRow.From(d), ct);

    public async Task<Donor?> FindDonorAsync(long id, CancellationToken ct) =>
        (await session.SingleOrDefaultAsync<DonorRow>(DonorSelect + " WHERE d.id = @id", new { id }, ct))?.ToDonor();

    public async Task<Donor?> FindDonorByCodeAsync(string code, CancellationToken ct) =>
        (await session.SingleOrDefaultAsync<DonorRow>(DonorSelect + " WHERE d.code = @code", new { code }, ct))?.ToDonor();

    public async Task<IReadOnlyList<Donor>> ListDonorsAsync(CancellationToken ct) =>
        [.. (await session.QueryAsync<DonorRow>(DonorSelect + " ORDER BY d.code", null, ct)).Select(r => r.ToDonor())];

    private static readonly SqlListing DonorListing = new(
        new Dictionary<string, string>
        {
            ["code"] = "d.code", ["consented"] = "d.consented_at", ["registered"] = "d.registered_at", ["eligible"] = "d.eligible",
        },
        ["d.code", "d.hla_gl", "d.haplotype"], "d.id");

    public Task<ListPage<Donor>> SearchDonorsAsync(ListQuery query, SortOrder order, CancellationToken ct) =>
        DonorListing.PageAsync<DonorRow, Donor>(session, "FROM bank_donors d", DonorSelect, "", null, query, order, r => r.ToDonor(), ct);

    public async Task<bool> UpdateDonorAsync(Donor donor, int expectedVersion, CancellationToken ct)
    {
        var r = DonorRow.From(donor);
        return await session.ExecuteAsync(
            "UPDATE bank_donors SET consent_banking = @ConsentBanking, consent_research = @ConsentResearch, consent_clinical = @ConsentClinical, "
            + "withdrawn_at = @WithdrawnAt, withdrawal_reason = @WithdrawalReason, screening = @Screening, eligible = @Eligible, hla_gl = @HlaGl, "
            + "homozygous = @Homozygous, haplotype = @Haplotype, version = version + 1 WHERE id = @Id AND version = @expectedVersion",
            new
            {
                r.Id, r.ConsentBanking, r.ConsentResearch, r.ConsentClinical, r.WithdrawnAt, r.WithdrawalReason, r.Screening, r.Eligible, r.HlaGl,
                r.Homozygous, r.Haplotype, expectedVersion,
            }, ct) == 1;
    }

    // ------------------------------------------------------------ lines

    internal const string LineCols = "{0}.id AS Id, {0}.code AS Code, {0}.donor_id AS DonorId, {0}.method AS Method, {0}.clone_name AS CloneName, "
        + "{0}.passage AS Passage, {0}.flag AS Flag, {0}.created_at AS CreatedAt, {0}.created_by AS CreatedBy, {0}.intended_use AS IntendedUse, {0}.version AS Version";

    private static readonly string LineSelect = "SELECT " + Cols(LineCols, "l") + " FROM bank_lines l";

    public Task<long> InsertLineAsync(CellLine line, CancellationToken ct) =>
        session.InsertReturningIdAsync(
            "INSERT INTO bank_lines (code, donor_id, method, clone_name, passage, flag, created_at, created_by, intended_use, version) "
            + "VALUES (@Code, @DonorId, @Method, @CloneName, @Passage, @Flag, @CreatedAt, @CreatedBy, @Use, 1) RETURNING id",
            new
            {
                line.Code, line.DonorId, line.Method, line.CloneName, line.Passage, line.Flag, CreatedAt = T(line.CreatedAt), line.CreatedBy,
                Use = IntendedUses.Name(line.IntendedUse),
            }, ct);

    public async Task<CellLine?> FindLineAsync(long id, CancellationToken ct) =>
        (await session.SingleOrDefaultAsync<LineRow>(LineSelect + " WHERE l.id = @id", new { id }, ct))?.ToLine();

    public async Task<CellLine?> FindLineByCodeAsync(string code, CancellationToken ct) =>
        (await session.SingleOrDefaultAsync<LineRow>(LineSelect + " WHERE l.code = @code", new { code }, ct))?.ToLine();

    public async Task<IReadOnlyList<CellLine>> ListLinesAsync(long? donorId, CancellationToken ct) =>
        [.. (await session.QueryAsync<LineRow>(LineSelect + (donorId is null ? "" : " WHERE l.donor_id = @donorId") + " ORDER BY l.code",
            new { donorId }, ct)).Select(r => r.ToLine())];

    private static readonly SqlListing LineListing = new(
        new Dictionary<string, string>
        {
            ["code"] = "l.code", ["donor"] = "(SELECT d.code FROM bank_donors d WHERE d.id = l.donor_id)", ["created"] = "l.created_at", ["passage"] = "l.passage",
        },
        ["l.code", "l.clone_name", "l.method", "(SELECT d.code FROM bank_donors d WHERE d.id = l.donor_id)"], "l.id");

    public Task<ListPage<CellLine>> SearchLinesAsync(ListQuery query, SortOrder order, CancellationToken ct) =>
        LineListing.PageAsync<LineRow, CellLine>(session, "FROM bank_lines l", LineSelect, "", null, query, order, r => r.ToLine(), ct);

    public async Task<IReadOnlyList<LineTyping>> ListLineTypingsAsync(CancellationToken ct) =>
        [.. (await session.QueryAsync<LineTypingRow>(
            "SELECT l.id AS LineId, d.hla_gl AS HlaGl, d.haplotype AS Haplotype FROM bank_lines l JOIN bank_donors d ON d.id = l.donor_id ORDER BY l.id",
            null, ct)).Select(r => new LineTyping(r.LineId, r.HlaGl, r.Haplotype))];

    public async Task<IReadOnlyDictionary<long, Donor>> DonorsOfLinesAsync(IReadOnlyCollection<long> lineIds, CancellationToken ct) =>
        (await QueryByIdsAsync<LineDonorRow>("SELECT l.id AS LineId, " + Cols(DonorCols, "d") + " FROM bank_lines l JOIN bank_donors d ON d.id = l.donor_id",
            "l.id", "l.id", lineIds, ct)).ToDictionary(r => r.LineId, r => r.ToDonor());

    private sealed class LineTypingRow
    {
        public long LineId { get; set; }

        public string? HlaGl { get; set; }

        public string? Haplotype { get; set; }
    }

    public Task FlagLinesOfDonorAsync(long donorId, string flag, CancellationToken ct) =>
        session.ExecuteAsync("UPDATE bank_lines SET flag = @flag, version = version + 1 WHERE donor_id = @donorId", new { donorId, flag }, ct);

    // ------------------------------------------------------------ master and working cell banks

    internal const string BankCols = "{0}.id AS Id, {0}.code AS Code, {0}.kind AS Kind, {0}.line_id AS LineId, {0}.parent_id AS ParentId, "
        + "{0}.passage AS Passage, {0}.vials AS Vials, {0}.created_at AS CreatedAt, {0}.created_by AS CreatedBy";

    private static readonly string BankSelect = "SELECT " + Cols(BankCols, "b") + " FROM bank_cell_banks b";

    public Task<long> InsertBankAsync(CellBank bank, CancellationToken ct) =>
        session.InsertReturningIdAsync(
            "INSERT INTO bank_cell_banks (code, kind, line_id, parent_id, passage, vials, created_at, created_by) "
            + "VALUES (@Code, @Kind, @LineId, @ParentId, @Passage, @Vials, @CreatedAt, @CreatedBy) RETURNING id",
            new { bank.Code, Kind = Lower(bank.Kind), bank.LineId, bank.ParentId, bank.Passage, bank.Vials, CreatedAt = T(bank.CreatedAt), bank.CreatedBy }, ct);

    public async Task<CellBank?> FindBankAsync(long id, CancellationToken ct) =>
        (await session.SingleOrDefaultAsync<BankRow>(BankSelect + " WHERE b.id = @id", new { id }, ct))?.ToBank();

    public async Task<CellBank?> FindBankByCodeAsync(string code, CancellationToken ct) =>
        (await session.SingleOrDefaultAsync<BankRow>(BankSelect + " WHERE b.code = @code", new { code }, ct))?.ToBank();

    public async Task<IReadOnlyList<CellBank>> ListBanksAsync(long lineId, CancellationToken ct) =>
        [.. (await session.QueryAsync<BankRow>(BankSelect + " WHERE b.line_id = @lineId ORDER BY b.id", new { lineId }, ct)).Select(r => r.ToBank())];

    // ------------------------------------------------------------ rows

    internal class DonorRow
    {
        public long Id { get; set; }

        public string Code { get; set; } = "";

        public long ConsentBanking { get; set; }

        public long ConsentResearch { get; set; }

        public long ConsentClinical { get; set; }

        public string ConsentedAt { get; set; } = "";

        public string? WithdrawnAt { get; set; }

        public string? WithdrawalReason { get; set; }

        public string Screening { get; set; } = "[]";

        public long Eligible { get; set; }

        public string? HlaGl { get; set; }

        public long? Homozygous { get; set; }

        public string? Haplotype { get; set; }

        public string RegisteredAt { get; set; } = "";

        public string RegisteredBy { get; set; } = "";

        public long Version { get; set; }

        public static DonorRow From(Donor d) => new()
        {
            Id = d.Id,
            Code = d.Code,
            ConsentBanking = d.Consent.Banking ? 1 : 0,
            ConsentResearch = d.Consent.Research ? 1 : 0,
            ConsentClinical = d.Consent.Clinical ? 1 : 0,
            ConsentedAt = T(d.ConsentedAt),
            WithdrawnAt = T(d.WithdrawnAt),
            WithdrawalReason = d.WithdrawalReason,
            Screening = JsonSerializer.Serialize(d.Screening, Json),
            Eligible = d.Eligible ? 1 : 0,
            HlaGl = d.HlaGl,
            Homozygous = d.Homozygous is { } h ? (h ? 1 : 0) : null,
            Haplotype = d.Haplotype,
            RegisteredAt = T(d.RegisteredAt),
            RegisteredBy = d.RegisteredBy,
        };

        public Donor ToDonor() => new(Id, Code, new ConsentScopes(ConsentBanking != 0, ConsentResearch != 0, ConsentClinical != 0), P(ConsentedAt),
            P(WithdrawnAt, true), WithdrawalReason, JsonSerializer.Deserialize<List<ScreeningResult>>(Screening, Json) ?? [], Eligible != 0, HlaGl,
            Homozygous is { } h ? h != 0 : null, Haplotype, P(RegisteredAt), RegisteredBy, (int)Version);
    }

    /// <summary>A donor with the id of one of its lines.</summary>
    private sealed class LineDonorRow : DonorRow
    {
        public long LineId { get; set; }
    }

    internal sealed class LineRow
    {
        public long Id { get; set; }

        public string Code { get; set; } = "";

        public long DonorId { get; set; }

        public string Method { get; set; } = "";

        public string CloneName { get; set; } = "";

        public long Passage { get; set; }

        public string? Flag { get; set; }

        public string CreatedAt { get; set; } = "";

        public string CreatedBy { get; set; } = "";

        public string IntendedUse { get; set; } = "clinical";

        public long Version { get; set; }

        public CellLine ToLine() => new(Id, Code, DonorId, Method, CloneName, (int)Passage, Flag, P(CreatedAt), CreatedBy, (int)Version)
        {
            IntendedUse = IntendedUses.Parse(IntendedUse),
        };
    }

    internal sealed class BankRow
    {
        public long Id { get; set; }

        public string Code { get; set; } = "";

        public string Kind { get; set; } = "";

        public long LineId { get; set; }

        public long? ParentId { get; set; }

        public long Passage { get; set; }

        public long Vials { get; set; }

        public string CreatedAt { get; set; } = "";

        public string CreatedBy { get; set; } = "";

        public CellBank ToBank() => new(Id, Code, Enum.Parse<CellBankKind>(Kind, true), LineId, ParentId, (int)Passage, (int)Vials, P(CreatedAt), CreatedBy);
    }
}
