using RadRegen.Core.Access;

namespace RadRegen.Core.Tests;

/// <summary>The throttle of password attempts (ADR 0020) on a clock the test moves.</summary>
public class CredentialThrottleTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 9, 0, 0, TimeSpan.Zero);

    private sealed class Clock : IClock
    {
        public DateTimeOffset UtcNow { get; set; } = Start;
    }

    private static (CredentialThrottle Throttle, Clock Clock) Create(AccessPolicy? policy = null)
    {
        var clock = new Clock();
        return (new CredentialThrottle(clock, policy ?? AccessPolicy.Default), clock);
    }

    [Fact]
    public void Five_failures_from_one_source_block_that_source_for_the_lockout_duration_then_twice_as_long()
    {
        var (throttle, clock) = Create();
        for (var i = 1; i <= 4; i++)
        {
            var failed = throttle.RecordFailure("qa1", "10.0.0.9");
            Assert.Equal(i, failed.SourceFailures);
            Assert.Null(failed.BlockedUntil);
            Assert.Null(throttle.BlockedUntil("qa1", "10.0.0.9"));
        }

        var fifth = throttle.RecordFailure("qa1", "10.0.0.9");
        Assert.Equal(Start + TimeSpan.FromMinutes(15), fifth.BlockedUntil);
        Assert.Equal(Start + TimeSpan.FromMinutes(15), throttle.BlockedUntil("qa1", "10.0.0.9"));
        Assert.Equal(Start + TimeSpan.FromMinutes(15), throttle.BlockedUntil("QA1", "10.0.0.9")); // names are not case-sensitive

        // Another source, and another account from the same source, are not affected.
        Assert.Null(throttle.BlockedUntil("qa1", "10.0.0.7"));
        Assert.Null(throttle.BlockedUntil("tech1", "10.0.0.9"));

        // After the block, five more failures: the second round lasts twice as long.
        clock.UtcNow = Start + TimeSpan.FromMinutes(15);
        Assert.Null(throttle.BlockedUntil("qa1", "10.0.0.9"));
        FailedAttempt last = null!;
        for (var i = 0; i < 5; i++)
        {
            last = throttle.RecordFailure("qa1", "10.0.0.9");
        }

        Assert.Equal(clock.UtcNow + TimeSpan.FromMinutes(30), last.BlockedUntil);
    }

    [Fact]
    public void Rounds_double_up_to_a_day_and_a_success_from_the_source_forgets_them()
    {
        var (throttle, clock) = Create();
        TimeSpan Round()
        {
            FailedAttempt f = null!;
            for (var i = 0; i < 5; i++)
            {
                f = throttle.RecordFailure("qa1", "s");
            }

            var length = f.BlockedUntil!.Value - clock.UtcNow;
            clock.UtcNow = f.BlockedUntil.Value;
            return length;
        }

        var lengths = Enumerable.Range(0, 9).Select(_ => Round().TotalMinutes).ToList();
        Assert.Equal([15, 30, 60, 120, 240, 480, 960, 1440, 1440], lengths);
        throttle.RecordSuccess("qa1", "s");
        Assert.Equal(15, Round().TotalMinutes);
    }

    [Fact]
    public void A_stranger_cannot_lock_the_owner_out_of_a_source_the_owner_has_signed_in_from()
    {
        var (throttle, clock) = Create();
        throttle.RecordSuccess("qa1", "owner-pc");
        // 100 failures spread over 20 addresses (5 each, each then blocked): NIST SP 800-63B's cap.
        DateTimeOffset? capped = null;
        for (var source = 0; source < 20; source++)
        {
            for (var i = 0; i < 5; i++)
            {
                capped = throttle.RecordFailure("qa1", $"stranger-{source}").BlockedUntil;
            }
        }

        Assert.NotNull(capped);
        // Every source the account does not know is now refused, a fresh one included, however long it waits ...
        Assert.NotNull(throttle.BlockedUntil("qa1", "stranger-new"));
        clock.UtcNow += TimeSpan.FromDays(2);
        Assert.NotNull(throttle.BlockedUntil("qa1", "stranger-new"));
        // ... but not the owner's computer.
        Assert.Null(throttle.BlockedUntil("qa1", "owner-pc"));
        // The owner's success there ends the cap for everyone; the sources blocked on their own rounds stay blocked.
        throttle.RecordSuccess("qa1", "owner-pc");
        Assert.Null(throttle.BlockedUntil("qa1", "stranger-new"));
    }

    [Fact]
    public void Failures_from_a_known_source_do_not_count_towards_the_account_cap_and_a_reset_ends_everything()
    {
        var (throttle, _) = Create(AccessPolicy.Default with { MaxAccountFailures = 3 });
        throttle.RecordSuccess("qa1", "owner-pc");
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(0, throttle.RecordFailure("qa1", "owner-pc").AccountFailures);
        }

        Assert.Null(throttle.BlockedUntil("qa1", "elsewhere"));
        throttle.RecordFailure("qa1", "a");
        throttle.RecordFailure("qa1", "b");
        Assert.NotNull(throttle.RecordFailure("qa1", "c").BlockedUntil);
        Assert.NotNull(throttle.BlockedUntil("qa1", "d"));
        Assert.NotNull(throttle.RecordFailure("qa1", "owner-pc").BlockedUntil); // its fifth: blocked on its own count

        throttle.Reset("qa1");
        Assert.Null(throttle.BlockedUntil("qa1", "d"));
        Assert.Null(throttle.BlockedUntil("qa1", "owner-pc"));
    }

    [Fact]
    public void Unknown_names_are_throttled_exactly_like_real_ones()
    {
        var (throttle, _) = Create();
        for (var i = 0; i < 5; i++)
        {
            throttle.RecordFailure("qa1", "s");
            throttle.RecordFailure("nobody", "s");
        }

        Assert.Equal(throttle.BlockedUntil("qa1", "s"), throttle.BlockedUntil("nobody", "s"));
    }
}
