using System.Security.Cryptography;
using RadRegen.Core.Journal;

namespace RadRegen.Core.Tests;

/// <summary>A prepared record (bulk imports, ADR 0021) chains to exactly the entry <see cref="JournalChain.Next(long, string, DateTimeOffset, string, JournalRecord)"/> makes.</summary>
public class PreparedJournalRecordTests
{
    public static TheoryData<string, string?, object?> Records => new()
    {
        { "qa1", null, new { lot = "L-1", vials = new[] { 1, 2, 3 }, dose = 1.5e-3 } },
        { "dr.kätö", "Grund: <Prüfung> & \"Zitat\" +", new { note = "Sendai virus ✓ — ünïcödé\u0001", nothing = (string?)null } },
        { "local:root", "", null },
        { "u", null, new Dictionary<string, object?> { ["z"] = 1, ["a"] = new { b = double.MaxValue, c = -0.0 } } },
    };

    [Theory]
    [MemberData(nameof(Records))]
    public void Chains_to_the_same_entry_as_appending_one_by_one(string user, string? reason, object? payload)
    {
        var record = new JournalRecord("patient", "42", "registered", payload, reason);
        var prepared = PreparedJournalRecord.Prepare(user, record);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var time = new DateTimeOffset(2026, 11, 29, 13, 0, 0, TimeSpan.Zero).AddTicks(1234567);
        var (sequence, hash) = (41L, JournalChain.ComputeHash(JournalChain.GenesisHash, 1, "t", "u", "r", "1", "a", null, "{}"));
        for (var i = 0; i < 3; i++)
        {
            var expected = JournalChain.Next(sequence, hash, time, user, record);
            var actual = prepared.Chain(sequence, hash, JournalTime.ToText(time), sha);
            Assert.Equal(expected, actual);
            (sequence, hash) = (actual.Sequence + 999_999_999, actual.Hash);
        }
    }

    [Fact]
    public void A_prepared_chain_verifies()
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var entries = new List<JournalEntry>();
        var (sequence, hash) = (0L, JournalChain.GenesisHash);
        for (var i = 0; i < 50; i++)
        {
            var e = PreparedJournalRecord.Prepare("qa1", new JournalRecord("patient", i.ToString(System.Globalization.CultureInfo.InvariantCulture), "registered", new { i }))
                .Chain(sequence, hash, JournalTime.ToText(DateTimeOffset.UnixEpoch.AddSeconds(i)), sha);
            entries.Add(e);
            (sequence, hash) = (e.Sequence, e.Hash);
        }

        Assert.True(JournalChain.Verify(entries).IsIntact);
        Assert.Equal(50, JournalChain.Verify(entries).Verified);
    }

    [Fact]
    public void Refuses_a_time_that_is_not_journal_text()
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var prepared = PreparedJournalRecord.Prepare("qa1", new JournalRecord("patient", "1", "registered", null));
        Assert.Throws<ArgumentException>(() => prepared.Chain(0, JournalChain.GenesisHash, "2026-11-29 13:00", sha));
    }
}
