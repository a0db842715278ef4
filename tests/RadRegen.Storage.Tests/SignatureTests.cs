using Microsoft.Extensions.DependencyInjection;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;
using RadRegen.Testing;

namespace RadRegen.Storage.Tests;

public class SignatureTests : EngineTests
{
    private const string Password = "correct horse battery";

    private sealed record LotContent(string Lot, string Product, int Vials);

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_signature_with_the_right_password_is_stored_journaled_and_bound_to_the_content(string engine)
    {
        await using var w = await TestWorld.CreateAsync(engine);
        var services = w.Services;
        var qa = (await services.GetRequiredService<AccessService>().AddUserAsync(Admin, "qa1", "Quinn Archer",
            new HashSet<Role> { Role.QaOfficer }, Password)).ToActor();
        var content = new LotContent("L-001", "KSHEET", 12);
        ElectronicSignature signature;
        await using (var uow = await services.GetRequiredService<IUnitOfWorkFactory>().BeginAsync(WorkMode.Write))
        {
            signature = await services.GetRequiredService<SignatureService>().SignAsync(uow, qa,
                new SignatureIntent("lot", "L-001", "released", content), Password);
            await uow.CommitAsync();
        }

        Assert.True(SignatureService.IsBoundTo(signature, content));
        Assert.False(SignatureService.IsBoundTo(signature, content with { Vials = 13 }));
        Assert.Equal("Quinn Archer (qa1) — released — " + JournalTime.ToText(signature.SignedAt), SignatureService.Manifestation(signature));

        var audit = services.GetRequiredService<AuditService>();
        var stored = Assert.Single(await audit.SignaturesAsync(Admin, "lot", "L-001"));
        Assert.Equal(signature with { Id = stored.Id }, stored);
        var entry = (await audit.BrowseAsync(Admin, new JournalQuery(RecordType: "signature"))).Entries.Single();
        Assert.Equal(stored.JournalSequence, entry.Sequence);
        Assert.Contains(signature.RecordHash, entry.Payload, StringComparison.Ordinal);
        Assert.Contains("\"meaning\":\"released\"", entry.Payload, StringComparison.Ordinal);
    }

    // Issue 12 item 1 changed this test: a wrong password is now journaled (signature-failed), in a
    // unit of work of its own once the caller's has rolled back; still no signature is stored.
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_wrong_password_or_missing_meaning_refuses_the_signature_and_only_the_failure_is_journaled(string engine)
    {
        await using var w = await TestWorld.CreateAsync(engine);
        var services = w.Services;
        var qa = (await services.GetRequiredService<AccessService>().AddUserAsync(Admin, "qa1", "",
            new HashSet<Role> { Role.QaOfficer }, Password)).ToActor();
        var signatures = services.GetRequiredService<SignatureService>();
        var units = services.GetRequiredService<IUnitOfWorkFactory>();
        await using (var uow = await units.BeginAsync(WorkMode.Write))
        {
            var ex = await Assert.ThrowsAsync<ForbiddenException>(() =>
                signatures.SignAsync(uow, qa, new SignatureIntent("lot", "L-001", "released", new { }), "not my password"));
            Assert.Contains("password does not match", ex.Message, StringComparison.Ordinal);
            var meaning = await Assert.ThrowsAsync<DomainValidationException>(() =>
                signatures.SignAsync(uow, qa, new SignatureIntent("lot", "L-001", " ", new { }), Password));
            Assert.Equal("meaning", meaning.Errors[0].Field);
        }

        await services.GetRequiredService<AttemptJournal>().FlushAsync();
        var audit = services.GetRequiredService<AuditService>();
        Assert.Empty(await audit.SignaturesAsync(Admin, "lot", "L-001"));
        var failed = Assert.Single((await audit.BrowseAsync(Admin, new JournalQuery(RecordType: "signature"))).Entries);
        Assert.Equal(("qa1", "lot/L-001", "signature-failed"), (failed.User, failed.RecordId, failed.Action));
        Assert.DoesNotContain("not my password", failed.Payload, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Wrong_signature_passwords_count_towards_the_sign_in_throttle_and_each_is_journaled(string engine)
    {
        var clock = new TestClock(new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero));
        await using var w = await TestWorld.CreateAsync(engine, clock);
        var services = w.Services;
        var qa = await w.UserAsync("qa1", Role.QaOfficer);
        var signatures = services.GetRequiredService<SignatureService>();
        var intent = new SignatureIntent("lot", "L-007", "released", new { lot = "L-007" });

        async Task<Exception> SignAsync(string password)
        {
            await using var uow = await w.Units.BeginAsync(WorkMode.Write);
            return await Assert.ThrowsAnyAsync<ForbiddenException>(() => signatures.SignAsync(uow, qa, intent, password));
        }

        // Two wrong sign-ins and three wrong signature passwords from the same source: one count.
        Assert.IsType<LoginOutcome.Rejected>(await w.Access.LoginAsync("qa1", "guess one"));
        Assert.IsType<LoginOutcome.Rejected>(await w.Access.LoginAsync("qa1", "guess two"));
        Assert.IsNotType<TooManyAttemptsException>(await SignAsync("guess three"));
        Assert.IsNotType<TooManyAttemptsException>(await SignAsync("guess four"));
        var fifth = Assert.IsType<TooManyAttemptsException>(await SignAsync("guess five"));
        Assert.Equal(clock.UtcNow + AccessPolicy.Default.LockoutDuration, fifth.RetryAt);
        Assert.Equal(AccessPolicy.Default.LockoutDuration, fifth.RetryAfter);
        // Refused unheard now, the right password too, for signing and for signing in.
        Assert.IsType<TooManyAttemptsException>(await SignAsync(TestWorld.Password));
        Assert.IsType<LoginOutcome.Throttled>(await w.Access.LoginAsync("qa1", TestWorld.Password));

        await services.GetRequiredService<AttemptJournal>().FlushAsync();
        var attempts = (await w.Audit.BrowseAsync(Admin, new JournalQuery(RecordType: "signature"))).Entries.Reverse().ToList();
        Assert.Equal(["signature-failed", "signature-failed", "signature-failed", "signature-refused"], attempts.Select(e => e.Action));
        var failures = attempts.Take(3).ToList();
        Assert.All(failures, e =>
        {
            Assert.Equal("signature-failed", e.Action);
            Assert.Equal("qa1", e.User);
            Assert.Equal("lot/L-007", e.RecordId);
            Assert.Contains("\"meaning\":\"released\"", e.Payload, StringComparison.Ordinal);
            Assert.Contains("\"source\":\"local\"", e.Payload, StringComparison.Ordinal);
            Assert.Contains("\"at\":\"2026-11-21T09:00:00", e.Payload, StringComparison.Ordinal);
            Assert.DoesNotContain("guess", e.Payload, StringComparison.Ordinal);
        });
        Assert.Contains("\"throttledUntil\":\"2026-11-21T09:15:00", failures[2].Payload, StringComparison.Ordinal);

        // After the block, the right password signs.
        clock.Advance(AccessPolicy.Default.LockoutDuration);
        await using (var uow = await w.Units.BeginAsync(WorkMode.Write))
        {
            await signatures.SignAsync(uow, qa, intent, TestWorld.Password);
            await uow.CommitAsync();
        }

        Assert.Single(await w.Audit.SignaturesAsync(Admin, "lot", "L-007"));
    }
}
