using Microsoft.Extensions.DependencyInjection;
using RadRegen.Core;
using RadRegen.Core.Journal;
using RadRegen.Testing;

namespace RadRegen.Storage.Tests;

public class JournalStorageTests : EngineTests
{
    private static async Task AppendAsync(ServiceProvider services, int count, string recordType = "lot")
    {
        var units = services.GetRequiredService<IUnitOfWorkFactory>();
        for (var i = 1; i <= count; i++)
        {
            await using var uow = await units.BeginAsync(WorkMode.Write);
            await uow.Journal.AppendAsync("tech1", new JournalRecord(recordType, $"L{i}", "created", new { n = i }));
            await uow.CommitAsync();
        }
    }

    private static Task<JournalVerification> VerifyAsync(ServiceProvider services) =>
        services.GetRequiredService<AuditService>().VerifyAsync(Admin);

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Appended_entries_form_an_intact_gapless_chain(string engine)
    {
        await using var w = await TestWorld.CreateAsync(engine);
        var services = w.Services;
        await AppendAsync(services, 5);
        var result = await VerifyAsync(services);
        Assert.True(result.IsIntact, result.Problem);
        Assert.Equal(5, result.Verified);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task The_database_itself_refuses_to_update_or_delete_a_journal_entry(string engine)
    {
        await using var w = await TestWorld.CreateAsync(engine);
        var services = w.Services;
        await AppendAsync(services, 2);
        var update = await Assert.ThrowsAnyAsync<Exception>(() => RawAsync(services, "UPDATE journal SET payload = '{}' WHERE seq = 1"));
        Assert.Contains("append-only", update.Message, StringComparison.Ordinal);
        var delete = await Assert.ThrowsAnyAsync<Exception>(() => RawAsync(services, "DELETE FROM journal WHERE seq = 2"));
        Assert.Contains("append-only", delete.Message, StringComparison.Ordinal);
        Assert.True((await VerifyAsync(services)).IsIntact);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_tampered_payload_is_named(string engine)
    {
        await using var w = await TestWorld.CreateAsync(engine);
        var services = w.Services;
        await AppendAsync(services, 6);
        await RawAsync(services, DropJournalGuards(w.Database) + " UPDATE journal SET payload = '{\"n\":40}' WHERE seq = 4");
        var result = await VerifyAsync(services);
        Assert.Equal(4, result.FirstBrokenSequence);
        Assert.Equal(3, result.Verified);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_tampered_hash_is_named(string engine)
    {
        await using var w = await TestWorld.CreateAsync(engine);
        var services = w.Services;
        await AppendAsync(services, 6);
        await RawAsync(services, DropJournalGuards(w.Database) + " UPDATE journal SET hash = @h WHERE seq = 2", new { h = new string('a', 64) });
        Assert.Equal(2, (await VerifyAsync(services)).FirstBrokenSequence);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_deleted_entry_is_named(string engine)
    {
        await using var w = await TestWorld.CreateAsync(engine);
        var services = w.Services;
        await AppendAsync(services, 6);
        await RawAsync(services, DropJournalGuards(w.Database) + " DELETE FROM journal WHERE seq = 3");
        var result = await VerifyAsync(services);
        Assert.Equal(4, result.FirstBrokenSequence);
        Assert.Contains("expected sequence 3", result.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Two_swapped_entries_are_named(string engine)
    {
        await using var w = await TestWorld.CreateAsync(engine);
        var services = w.Services;
        await AppendAsync(services, 6);
        // Swap the whole content of entries 2 and 5 while each row keeps its place in the sequence.
        const string Cols = "time, user_name, record_type, record_id, action, reason, payload, previous_hash, hash";
        await RawAsync(services, DropJournalGuards(w.Database)
            + $" CREATE TABLE swap AS SELECT seq, {Cols} FROM journal WHERE seq IN (2, 5);"
            + " UPDATE journal SET time = s.time, user_name = s.user_name, record_type = s.record_type, record_id = s.record_id,"
            + " action = s.action, reason = s.reason, payload = s.payload, previous_hash = s.previous_hash, hash = s.hash"
            + " FROM swap s WHERE s.seq = 7 - journal.seq AND journal.seq IN (2, 5); DROP TABLE swap;");
        Assert.Equal(2, (await VerifyAsync(services)).FirstBrokenSequence);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Concurrent_writers_never_fork_or_gap_the_chain(string engine)
    {
        await using var w = await TestWorld.CreateAsync(engine);
        var services = w.Services;
        var units = services.GetRequiredService<IUnitOfWorkFactory>();
        await Task.WhenAll(Enumerable.Range(0, 24).Select(async i =>
        {
            await using var uow = await units.BeginAsync(WorkMode.Write);
            await uow.Journal.AppendAsync($"u{i}", new JournalRecord("vial", $"V{i}", "moved", new { i }));
            await uow.CommitAsync();
        }));
        var result = await VerifyAsync(services);
        Assert.True(result.IsIntact, result.Problem);
        Assert.Equal(24, result.Verified);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_unit_of_work_that_is_not_committed_leaves_nothing_behind(string engine)
    {
        await using var w = await TestWorld.CreateAsync(engine);
        var services = w.Services;
        var units = services.GetRequiredService<IUnitOfWorkFactory>();
        await using (var uow = await units.BeginAsync(WorkMode.Write))
        {
            await uow.Journal.AppendAsync("tech1", new JournalRecord("lot", "L1", "created", null));
            // disposed without commit, as when a later step of the same change fails
        }

        var page = await services.GetRequiredService<AuditService>().BrowseAsync(Admin, new JournalQuery());
        Assert.Equal(0, page.Total);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Browse_filters_by_record_user_and_time_and_pages_newest_first(string engine)
    {
        var clock = new Testing.TestClock(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var w = await TestWorld.CreateAsync(engine, clock);
        var services = w.Services;
        var units = services.GetRequiredService<IUnitOfWorkFactory>();
        for (var i = 0; i < 30; i++)
        {
            clock.Advance(TimeSpan.FromDays(1));
            await using var uow = await units.BeginAsync(WorkMode.Write);
            await uow.Journal.AppendAsync(i % 2 == 0 ? "alice" : "bob", new JournalRecord(i % 3 == 0 ? "lot" : "vial", $"R{i % 5}", "changed", new { i }));
            await uow.CommitAsync();
        }

        var audit = services.GetRequiredService<AuditService>();
        var alice = await audit.BrowseAsync(Admin, new JournalQuery(User: "alice", PageSize: 10));
        Assert.Equal(15, alice.Total);
        Assert.Equal(10, alice.Entries.Count);
        Assert.All(alice.Entries, e => Assert.Equal("alice", e.User));
        Assert.True(alice.Entries[0].Sequence > alice.Entries[^1].Sequence);

        var record = await audit.BrowseAsync(Admin, new JournalQuery(RecordType: "lot", RecordId: "R0"));
        Assert.All(record.Entries, e => Assert.Equal(("lot", "R0"), (e.RecordType, e.RecordId)));
        Assert.Equal(Enumerable.Range(0, 30).Count(i => i % 3 == 0 && i % 5 == 0), (int)record.Total);

        var january = await audit.BrowseAsync(Admin, new JournalQuery(
            From: new DateTimeOffset(2026, 1, 10, 0, 0, 0, TimeSpan.Zero), To: new DateTimeOffset(2026, 1, 15, 0, 0, 0, TimeSpan.Zero)));
        Assert.Equal(5, january.Total);

        var page2 = await audit.BrowseAsync(Admin, new JournalQuery(PageSize: 20, Page: 2));
        Assert.Equal(10, page2.Entries.Count);
        Assert.Equal(10, page2.Entries[0].Sequence);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Browse_sorts_by_sequence_time_user_and_record_type_from_a_whitelist(string engine)
    {
        var clock = new Testing.TestClock(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var w = await TestWorld.CreateAsync(engine, clock);
        var services = w.Services;
        var units = services.GetRequiredService<IUnitOfWorkFactory>();
        for (var i = 0; i < 12; i++)
        {
            clock.Advance(TimeSpan.FromHours(1));
            await using var uow = await units.BeginAsync(WorkMode.Write);
            await uow.Journal.AppendAsync(i % 2 == 0 ? "bob" : "alice", new JournalRecord(i % 3 == 0 ? "vial" : "lot", $"R{i}", "changed", new { i }));
            await uow.CommitAsync();
        }

        var audit = services.GetRequiredService<AuditService>();
        async Task<long[]> SequencesAsync(string? sort, int page = 1, int size = 50) =>
            [.. (await audit.BrowseAsync(Admin, new JournalQuery(Page: page, PageSize: size, Sort: sort))).Entries.Select(e => e.Sequence)];

        var newestFirst = Enumerable.Range(1, 12).Reverse().Select(i => (long)i).ToArray();
        Assert.Equal(newestFirst, await SequencesAsync(null));
        Assert.Equal(newestFirst, await SequencesAsync("-sequence"));
        Assert.Equal(Enumerable.Range(1, 12).Select(i => (long)i), await SequencesAsync("sequence"));
        Assert.Equal(Enumerable.Range(1, 12).Select(i => (long)i), await SequencesAsync("time"));
        Assert.Equal(newestFirst, await SequencesAsync("-time"));
        // Ties in a column are broken by sequence, in the same direction, so pages neither repeat nor skip.
        Assert.Equal(new long[] { 2, 4, 6, 8, 10, 12, 1, 3, 5, 7, 9, 11 }, await SequencesAsync("user"));
        Assert.Equal(new long[] { 11, 9, 7, 5, 3, 1 }, await SequencesAsync("-user", page: 1, size: 6));
        Assert.Equal(new long[] { 12, 10, 8, 6, 4, 2 }, await SequencesAsync("-user", page: 2, size: 6));
        Assert.Equal(new long[] { 2, 3, 5, 6, 8, 9, 11, 12, 1, 4, 7, 10 }, await SequencesAsync("recordType"));
        Assert.Equal(new long[] { 10, 7, 4, 1 }, await SequencesAsync("-recordType", size: 4));

        foreach (var bad in new[] { "seq", "sequence; DROP TABLE journal", "--time", "payload" })
        {
            var refused = await Assert.ThrowsAsync<DomainValidationException>(() => SequencesAsync(bad));
            Assert.Equal("sort", Assert.Single(refused.Errors).Field);
            Assert.Contains("sequence, time, user, recordType", refused.Message, StringComparison.Ordinal);
        }

        // The journal, like the donor, line and lot stores, takes the order its caller parsed and does not read the sort text again;
        // a key it has no column for is a programming error, never SQL.
        await using (var uow = await units.BeginAsync(WorkMode.Read))
        {
            var page = await uow.Journal.QueryAsync(new JournalQuery(PageSize: 4, Sort: "-user"), new SortOrder("recordType", Descending: true));
            Assert.Equal(new long[] { 10, 7, 4, 1 }, page.Entries.Select(e => e.Sequence));
            await Assert.ThrowsAsync<ArgumentException>(() => uow.Journal.QueryAsync(new JournalQuery(), new SortOrder("payload", Descending: false)));
        }

        Assert.Equal(12, (await VerifyAsync(services)).Verified);
    }
}
