namespace RadRegen.Bank.Hla;

/// <summary>
/// A haplotype-frequency set the center registered for the HLA workbench (table
/// <c>hla_frequency_sets</c>, issue 17 item 3): the file as supplied, so that coverage and plans can be
/// recomputed with the same engine and the same input at any time. Rows are only added.
/// </summary>
/// <param name="Key">Short stable name used in URLs (<c>JPN</c>, <c>jpn-2026</c>).</param>
/// <param name="Name">Human title of the set.</param>
/// <param name="Population">The population it describes (e.g. "Japanese").</param>
/// <param name="Source">Where the numbers come from (publication, registry, file name and date).</param>
/// <param name="Content">The CSV as uploaded (NMDP <c>Haplo,Count,Freq</c> or <c>haplotype,frequency</c>).</param>
/// <param name="Partial">A published top-N table: frequencies kept as printed, the rest of the population unknown.</param>
/// <param name="Haplotypes">Rows read from the file.</param>
/// <param name="Loci">The set's loci, <c>~</c>-separated (<c>A~B~DRB1</c>).</param>
/// <param name="RegisteredBy">Who registered it.</param>
/// <param name="RegisteredAt">When (UTC).</param>
public sealed record StoredFrequencySet(
    string Key,
    string Name,
    string Population,
    string Source,
    string Content,
    bool Partial,
    int Haplotypes,
    string Loci,
    string RegisteredBy,
    DateTimeOffset RegisteredAt);

/// <summary>The registered frequency sets.</summary>
public interface IHlaFrequencySetStore
{
    /// <summary>Every set without its content (<see cref="StoredFrequencySet.Content"/> is empty), by key.</summary>
    Task<IReadOnlyList<StoredFrequencySet>> ListAsync(CancellationToken ct);

    /// <summary>One set with its content; null when no set has the key (case-insensitive).</summary>
    Task<StoredFrequencySet?> GetAsync(string key, CancellationToken ct);

    Task InsertAsync(StoredFrequencySet set, CancellationToken ct);
}
