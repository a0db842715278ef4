using RadRegen.Core.Journal;

namespace RadRegen.Core.Tests;

public class JournalChainTests
{
    private static List<JournalEntry> Chain(int count)
    {
        var entries = new List<JournalEntry>();
        var time = new DateTimeOffset(2026, 11, 21, 8, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < count; i++)
        {
            var last = entries.Count == 0 ? null : entries[^1];
            entries.Add(JournalChain.Next(last?.Sequence ?? 0, last?.Hash ?? JournalChain.GenesisHash, time.AddSeconds(i), "qa1",
                new JournalRecord("lot", $"L{i}", "released", new { lot = $"L{i}", vials = i })));
        }

        return entries;
    }

    [Fact]
    public void An_untouched_chain_verifies_every_entry()
    {
        var result = JournalChain.Verify(Chain(10));
        Assert.True(result.IsIntact);
        Assert.Equal(10, result.Verified);
    }

    [Fact]
    public void The_first_entry_chains_to_the_genesis_hash_and_each_next_to_its_predecessor()
    {
        var chain = Chain(3);
        Assert.Equal(new string('0', 64), chain[0].PreviousHash);
        Assert.Equal(chain[0].Hash, chain[1].PreviousHash);
        Assert.Equal(chain[1].Hash, chain[2].PreviousHash);
        Assert.Equal([1L, 2L, 3L], chain.Select(e => e.Sequence));
    }

    [Fact]
    public void The_hash_is_sha256_of_previous_hash_and_canonical_entry()
    {
        var e = Chain(1)[0];
        var canonical = JournalChain.CanonicalForm(e.Sequence, e.Time, e.User, e.RecordType, e.RecordId, e.Action, e.Reason, e.Payload);
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(e.PreviousHash + canonical)));
        Assert.Equal(expected, e.Hash);
        Assert.Equal("[1,\"2026-11-21T08:00:00.0000000Z\",\"qa1\",\"lot\",\"L0\",\"released\",null,{\"lot\":\"L0\",\"vials\":0}]", canonical);
    }

    [Fact]
    public void A_changed_payload_is_caught_at_that_entry()
    {
        var chain = Chain(6);
        chain[3] = chain[3] with { Payload = chain[3].Payload.Replace("3", "4", StringComparison.Ordinal) };
        var result = JournalChain.Verify(chain);
        Assert.Equal(4, result.FirstBrokenSequence);
        Assert.Equal(3, result.Verified);
    }

    [Fact]
    public void A_changed_reason_or_user_is_caught()
    {
        var chain = Chain(4);
        chain[1] = chain[1] with { User = "someone-else" };
        Assert.Equal(2, JournalChain.Verify(chain).FirstBrokenSequence);
        chain = Chain(4);
        chain[2] = chain[2] with { Reason = "added later" };
        Assert.Equal(3, JournalChain.Verify(chain).FirstBrokenSequence);
    }

    [Fact]
    public void A_rewritten_hash_is_caught_even_when_recomputed_for_the_changed_entry()
    {
        var chain = Chain(5);
        var forged = chain[2] with { Payload = "{\"lot\":\"L2\",\"vials\":99}" };
        chain[2] = forged with { Hash = JournalChain.ComputeHash(forged) };
        var result = JournalChain.Verify(chain);
        Assert.Equal(4, result.FirstBrokenSequence); // entry 3 now verifies alone, but entry 4 no longer chains to it
    }

    [Fact]
    public void A_deleted_entry_is_caught_where_it_was()
    {
        var chain = Chain(5);
        chain.RemoveAt(2);
        var result = JournalChain.Verify(chain);
        Assert.Equal(4, result.FirstBrokenSequence);
        Assert.Contains("expected sequence 3", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_swapped_entries_are_caught()
    {
        var chain = Chain(5);
        (chain[1], chain[2]) = (chain[2], chain[1]);
        Assert.Equal(3, JournalChain.Verify(chain).FirstBrokenSequence);
    }

    [Fact]
    public void Swapped_contents_with_sequence_numbers_kept_are_caught()
    {
        var chain = Chain(5);
        var (a, b) = (chain[1], chain[2]);
        chain[1] = b with { Sequence = a.Sequence };
        chain[2] = a with { Sequence = b.Sequence };
        Assert.Equal(2, JournalChain.Verify(chain).FirstBrokenSequence);
    }

    [Fact]
    public void An_empty_journal_is_intact_with_nothing_verified()
    {
        var result = JournalChain.Verify([]);
        Assert.True(result.IsIntact);
        Assert.Equal(0, result.Verified);
    }

    [Fact]
    public void Malformed_payload_json_is_reported_not_thrown()
    {
        var chain = Chain(2);
        chain[1] = chain[1] with { Payload = "{not json" };
        Assert.Equal(2, JournalChain.Verify(chain).FirstBrokenSequence);
    }
}
