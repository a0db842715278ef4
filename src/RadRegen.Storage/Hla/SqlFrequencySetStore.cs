using RadRegen.Bank.Hla;
using RadRegen.Core.Journal;

namespace RadRegen.Storage.Hla;

internal sealed class SqlFrequencySetStore(SqlSession session) : IHlaFrequencySetStore
{
    private const string Columns =
        "set_key AS SetKey, name AS Name, population AS Population, source AS Source, partial_table AS PartialTable, "
        + "haplotypes AS Haplotypes, loci AS Loci, registered_by AS RegisteredBy, registered_at AS RegisteredAt";

    public async Task<IReadOnlyList<StoredFrequencySet>> ListAsync(CancellationToken ct) =>
        [.. (await session.QueryAsync<Row>($"SELECT {Columns}, '' AS Content FROM hla_frequency_sets ORDER BY set_key", null, ct)).Select(r => r.ToSet())];

    public async Task<StoredFrequencySet?> GetAsync(string key, CancellationToken ct) =>
        (await session.SingleOrDefaultAsync<Row>(
            $"SELECT {Columns}, content AS Content FROM hla_frequency_sets WHERE key_folded = @Folded", new { Folded = key.ToUpperInvariant() }, ct))?.ToSet();

    public Task InsertAsync(StoredFrequencySet set, CancellationToken ct) =>
        session.ExecuteAsync(
            "INSERT INTO hla_frequency_sets (set_key, key_folded, name, population, source, content, partial_table, haplotypes, loci, registered_by, registered_at) "
            + "VALUES (@Key, @Folded, @Name, @Population, @Source, @Content, @Partial, @Haplotypes, @Loci, @RegisteredBy, @RegisteredAt)",
            new
            {
                set.Key,
                Folded = set.Key.ToUpperInvariant(),
                set.Name,
                set.Population,
                set.Source,
                set.Content,
                Partial = set.Partial ? 1L : 0L,
                Haplotypes = (long)set.Haplotypes,
                set.Loci,
                set.RegisteredBy,
                RegisteredAt = JournalTime.ToText(set.RegisteredAt),
            }, ct);

    private sealed class Row
    {
        public string SetKey { get; set; } = "";

        public string Name { get; set; } = "";

        public string Population { get; set; } = "";

        public string Source { get; set; } = "";

        public string Content { get; set; } = "";

        public long PartialTable { get; set; }

        public long Haplotypes { get; set; }

        public string Loci { get; set; } = "";

        public string RegisteredBy { get; set; } = "";

        public string RegisteredAt { get; set; } = "";

        public StoredFrequencySet ToSet() =>
            new(SetKey, Name, Population, Source, Content, PartialTable != 0, (int)Haplotypes, Loci, RegisteredBy, JournalTime.Parse(RegisteredAt));
    }
}
