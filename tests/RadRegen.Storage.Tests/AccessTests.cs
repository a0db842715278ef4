using Microsoft.Extensions.DependencyInjection;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Journal;
using RadRegen.Testing;

namespace RadRegen.Storage.Tests;

public class AccessTests : EngineTests
{
    private const string Password = "correct horse battery";

    private static readonly HashSet<Role> Qa = [Role.QaOfficer];

    private static async Task<JournalPage> JournalAsync(ServiceProvider services, string? recordType = null) =>
        await services.GetRequiredService<AuditService>().BrowseAsync(Admin, new JournalQuery(RecordType: recordType, PageSize: 500));

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task An_admin_adds_a_user_who_can_then_log_in_and_both_are_journaled(string engine)
    {
        await using var w = await TestWorld.CreateAsync(engine);
        var services = w.Services;
        var access = services.GetRequiredService<AccessService>();
        var account = await access.AddUserAsync(Admin, "qa1", "Quinn Archer", Qa, Password);
        Assert.NotEqual(Password, account.PasswordHash);
        var outcome = Assert.IsType<LoginOutcome.Succeeded>(await access.LoginAsync("qa1", Password));
        Assert.Equal(account.Id, outcome.Account.Id);
        var journal = await JournalAsync(services);
        Assert.Equal(["created", "login"], journal.Entries.Select(e => e.Action).Reverse());
        Assert.DoesNotContain(journal.Entries, e => e.Payload.Contains(account.PasswordHash, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Bad_account_input_names_each_field_and_writes_nothing(string engine)
    {
        await using var w = await TestWorld.CreateAsync(engine);
        var services = w.Services;
        var access = services.GetRequiredService<AccessService>();
        var ex = await Assert.ThrowsAsync<DomainValidationException>(() => access.AddUserAsync(Admin, "Bad Name!", "", new HashSet<Role>(), "short"));
        Assert.Equal(["user", "role", "password"], ex.Errors.Select(e => e.Field));
        await access.AddUserAsync(Admin, "qa1", "", Qa, Password);
        await Assert.ThrowsAsync<ConflictException>(() => access.AddUserAsync(Admin, "qa1", "", Qa, Password));
        Assert.Equal(1, (await JournalAsync(services)).Total);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Only_an_admin_manages_accounts_and_a_refusal_writes_nothing(string engine)
    {
        await using var w = await TestWorld.CreateAsync(engine);
        var services = w.Services;
        var access = services.GetRequiredService<AccessService>();
        var tech = new Actor(5, "tech1", new HashSet<Role> { Role.CpcTechnician });
        var auditor = new Actor(6, "aud1", new HashSet<Role> { Role.Auditor });
        await Assert.ThrowsAsync<ForbiddenException>(() => access.AddUserAsync(tech, "x1", "", Qa, Password));
        await Assert.ThrowsAsync<ForbiddenException>(() => access.AddUserAsync(auditor, "x1", "", Qa, Password));
        await Assert.ThrowsAsync<ForbiddenException>(() => access.ListUsersAsync(tech));
        await Assert.ThrowsAsync<ForbiddenException>(() => access.CreateTokenAsync(auditor, "x1", "", 1));
        await Assert.ThrowsAsync<ForbiddenException>(() => services.GetRequiredService<AuditService>().VerifyAsync(tech));
        Assert.Empty(await access.ListUsersAsync(auditor));
        Assert.Equal(0, (await JournalAsync(services)).Total);
    }

    // Issue 12 item 1 changed this test: five wrong passwords used to lock the account for everyone
    // (anyone who knew the name could lock its owner out); they now throttle the source they came from.
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Five_wrong_passwords_throttle_that_source_which_then_is_refused_even_the_right_one_until_the_block_ends(string engine)
    {
        var clock = new TestClock(new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero));
        await using var w = await TestWorld.CreateAsync(engine, clock);
        var services = w.Services;
        var access = services.GetRequiredService<AccessService>();
        await access.AddUserAsync(Admin, "qa1", "", Qa, Password);
        for (var i = 1; i <= 4; i++)
        {
            Assert.IsType<LoginOutcome.Rejected>(await access.LoginAsync("qa1", "wrong password " + i));
        }

        var throttled = Assert.IsType<LoginOutcome.Throttled>(await access.LoginAsync("qa1", "wrong password 5"));
        Assert.Equal(clock.UtcNow + AccessPolicy.Default.LockoutDuration, throttled.Until);
        Assert.IsType<LoginOutcome.Throttled>(await access.LoginAsync("qa1", Password));

        var entries = (await JournalAsync(services, "user")).Entries.Reverse().ToList();
        Assert.Equal(["created", "login-failed", "login-failed", "login-failed", "login-failed", "login-failed", "throttled", "login-refused"],
            entries.Select(e => e.Action));
        Assert.All(entries.Skip(1), e => Assert.Contains("\"source\":\"local\"", e.Payload, StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.Payload.Contains("wrong password 5", StringComparison.Ordinal));

        clock.Advance(AccessPolicy.Default.LockoutDuration + TimeSpan.FromSeconds(1));
        Assert.IsType<LoginOutcome.Succeeded>(await access.LoginAsync("qa1", Password));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_stranger_guessing_from_another_address_does_not_keep_the_owner_out(string engine)
    {
        var clock = new TestClock(new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero));
        await using var w = await TestWorld.CreateAsync(engine, clock);
        var source = new SettableSource();
        var access = AccessOver(w, clock, source, new CountingHasher(w.Get<IPasswordHashing>()));
        await w.Access.AddUserAsync(Admin, "qa1", "", Qa, Password);
        source.Current = "10.1.1.1"; // the owner's computer, known from an earlier sign-in
        Assert.IsType<LoginOutcome.Succeeded>(await access.LoginAsync("qa1", Password));

        for (var stranger = 0; stranger < 30; stranger++)
        {
            source.Current = $"192.0.2.{stranger}";
            for (var i = 0; i < 5; i++)
            {
                await access.LoginAsync("qa1", "guess " + i);
            }
        }

        // 150 failures: every address the account does not know is refused (NIST SP 800-63B §5.2.2's cap of 100) ...
        source.Current = "198.51.100.1";
        Assert.IsType<LoginOutcome.Throttled>(await access.LoginAsync("qa1", Password));
        // ... but the owner still signs in from their own computer.
        source.Current = "10.1.1.1";
        Assert.IsType<LoginOutcome.Succeeded>(await access.LoginAsync("qa1", Password));
        var refused = (await JournalAsync(w.Services, "user")).Entries.First(e => e.Action == "login-refused");
        Assert.Contains("\"source\":\"198.51.100.1\"", refused.Payload, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task An_unknown_name_costs_the_same_password_check_and_gets_the_same_answer_as_a_wrong_password(string engine)
    {
        await using var w = await TestWorld.CreateAsync(engine);
        var hasher = new CountingHasher(w.Get<IPasswordHashing>());
        var access = AccessOver(w, new TestClock(DateTimeOffset.UtcNow), new SettableSource(), hasher);
        await w.Access.AddUserAsync(Admin, "qa1", "", Qa, Password);
        await w.Access.AddUserAsync(Admin, "gone", "", Qa, Password);
        await w.Access.DisableUserAsync(Admin, "gone", "left");

        var known = await access.LoginAsync("qa1", "wrong password!");
        Assert.Equal(1, hasher.Verifications);
        var unknown = await access.LoginAsync("nobody", "wrong password!");
        Assert.Equal(2, hasher.Verifications); // verified against a dummy hash: the same PBKDF2 work
        var disabled = await access.LoginAsync("gone", Password);
        Assert.Equal(3, hasher.Verifications);
        Assert.Equal(known, unknown);
        Assert.Equal(known, disabled);
        Assert.IsType<LoginOutcome.Rejected>(known);
    }

    private static AccessService AccessOver(TestWorld w, IClock clock, IAttemptSource source, IPasswordHashing hashing) =>
        new(w.Units, hashing, clock, AccessPolicy.Default, new CredentialThrottle(clock, AccessPolicy.Default), source);

    private sealed class SettableSource : IAttemptSource
    {
        public string Current { get; set; } = "local";
    }

    private sealed class CountingHasher(IPasswordHashing inner) : IPasswordHashing
    {
        public int Verifications { get; private set; }

        public string Hash(string password) => inner.Hash(password);

        public PasswordCheck Verify(string hash, string password)
        {
            Verifications++;
            return inner.Verify(hash, password);
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Unknown_user_and_disabled_account_are_rejected_like_a_wrong_password_and_journaled(string engine)
    {
        await using var w = await TestWorld.CreateAsync(engine);
        var services = w.Services;
        var access = services.GetRequiredService<AccessService>();
        Assert.IsType<LoginOutcome.Rejected>(await access.LoginAsync("nobody", Password));
        await access.AddUserAsync(Admin, "qa1", "", Qa, Password);
        await access.DisableUserAsync(Admin, "qa1", "left the center");
        Assert.IsType<LoginOutcome.Rejected>(await access.LoginAsync("qa1", Password));
        var entries = (await JournalAsync(services)).Entries;
        Assert.Contains(entries, e => e is { RecordType: "login", RecordId: "nobody", Action: "login-failed", User: "anonymous" });
        Assert.Contains(entries, e => e is { Action: "disabled", Reason: "left the center" });
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_password_reset_lifts_the_lock(string engine)
    {
        await using var w = await TestWorld.CreateAsync(engine);
        var services = w.Services;
        var access = services.GetRequiredService<AccessService>();
        await access.AddUserAsync(Admin, "qa1", "", Qa, Password);
        for (var i = 0; i < 5; i++)
        {
            await access.LoginAsync("qa1", "nope nope nope");
        }

        await access.ResetPasswordAsync(Admin, "qa1", "a brand new passphrase");
        Assert.IsType<LoginOutcome.Succeeded>(await access.LoginAsync("qa1", "a brand new passphrase"));
        Assert.IsType<LoginOutcome.Rejected>(await access.LoginAsync("qa1", Password));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Api_tokens_work_until_they_expire_are_revoked_or_their_user_is_disabled(string engine)
    {
        var clock = new TestClock(new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero));
        await using var w = await TestWorld.CreateAsync(engine, clock);
        var services = w.Services;
        var access = services.GetRequiredService<AccessService>();
        await access.AddUserAsync(Admin, "lims", "", new HashSet<Role> { Role.CpcTechnician }, Password);
        var one = await access.CreateTokenAsync(Admin, "lims", "lims feed", 2);
        var two = await access.CreateTokenAsync(Admin, "lims", "spare", 30);
        Assert.StartsWith("rr_", one.Secret, StringComparison.Ordinal);
        Assert.Equal("lims", (await access.AuthenticateTokenAsync(one.Secret))!.UserName);
        Assert.Null(await access.AuthenticateTokenAsync(one.Secret + "x"));
        Assert.Null(await access.AuthenticateTokenAsync("not-a-token"));

        clock.Advance(TimeSpan.FromDays(2));
        Assert.Null(await access.AuthenticateTokenAsync(one.Secret)); // expired
        Assert.NotNull(await access.AuthenticateTokenAsync(two.Secret));

        await access.RevokeTokenAsync(Admin, two.Token.Id, "rotated");
        Assert.Null(await access.AuthenticateTokenAsync(two.Secret));
        await Assert.ThrowsAsync<ConflictException>(() => access.RevokeTokenAsync(Admin, two.Token.Id, null));

        var three = await access.CreateTokenAsync(Admin, "lims", "third", 30);
        await access.DisableUserAsync(Admin, "lims", "decommissioned");
        Assert.Null(await access.AuthenticateTokenAsync(three.Secret));
        await Assert.ThrowsAsync<DomainValidationException>(() => access.CreateTokenAsync(Admin, "lims", "", 30));
        await Assert.ThrowsAsync<DomainValidationException>(() => access.CreateTokenAsync(Admin, "nobody", "", 30));
        var tooLong = await Assert.ThrowsAsync<DomainValidationException>(() => access.CreateTokenAsync(Admin, "lims", "", 0));
        Assert.Equal("expires", tooLong.Errors[0].Field);

        var journal = await JournalAsync(services, "api-token");
        Assert.DoesNotContain(journal.Entries, e => e.Payload.Contains(one.Secret, StringComparison.Ordinal));
    }
}
