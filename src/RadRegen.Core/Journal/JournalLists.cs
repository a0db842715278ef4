namespace RadRegen.Core.Journal;

/// <summary>How the journal may be sorted when browsed (ADR 0040); the store maps each key to a column. Reading only: the journal is never rewritten.</summary>
public static class JournalLists
{
    /// <summary>Entries: newest first by default (sequence descending); by sequence, time, user, record type.</summary>
    public static SortKeys Entries { get; } = new(new SortOrder("sequence", true), "sequence", "time", "user", "recordType");
}
