namespace RadRegen.Core.Access;

/// <summary>
/// Where a password attempt comes from: the client's address for the web, <c>local</c> for the
/// command line. The throttle counts failures per account and per source, so that a stranger's
/// guesses from one place do not stop the account's owner from signing in from another.
/// </summary>
public interface IAttemptSource
{
    /// <summary>The source of the attempt being made now (never a secret; it is written to the journal).</summary>
    string Current { get; }
}

/// <summary>The source of every attempt made at the command line on the server itself.</summary>
public sealed class LocalAttemptSource : IAttemptSource
{
    public string Current => "local";
}

/// <summary>
/// Password attempts (sign-in and e-signature alike) refused because too many failed before:
/// web 429 with <c>Retry-After</c>. It is a <see cref="ForbiddenException"/> so that every page
/// or caller that shows a refusal shows this one too.
/// </summary>
public sealed class TooManyAttemptsException : ForbiddenException
{
    public TooManyAttemptsException(DateTimeOffset retryAt, DateTimeOffset now)
        : base(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"too many failed password attempts from here: try again after {retryAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC"))
    {
        RetryAt = retryAt;
        RetryAfter = retryAt > now ? retryAt - now : TimeSpan.Zero;
    }

    public TooManyAttemptsException() : this(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch) { }

    public TooManyAttemptsException(string message) : base(message) { }

    public TooManyAttemptsException(string message, Exception inner) : base(message, inner) { }

    /// <summary>When the next attempt from this source will be considered.</summary>
    public DateTimeOffset RetryAt { get; }

    /// <summary>How long from the refusal until <see cref="RetryAt"/> (the web's <c>Retry-After</c>).</summary>
    public TimeSpan RetryAfter { get; }
}

/// <summary>What one failed attempt led to.</summary>
/// <param name="SourceFailures">Consecutive failures on this account from this source (since its last block or success).</param>
/// <param name="AccountFailures">Consecutive failures on this account from sources it has never succeeded from.</param>
/// <param name="BlockedUntil">When this failure started a block for the source: until then its attempts are refused unheard.</param>
public sealed record FailedAttempt(int SourceFailures, int AccountFailures, DateTimeOffset? BlockedUntil);

/// <summary>
/// Throttles password guessing (NIST SP 800-63B §5.2.2, "Rate Limiting (Throttling)") for sign-in
/// and e-signatures together (21 CFR 11.300(d): attempts at unauthorized use are detected and
/// reported; the failures are journaled by the callers). It replaces a hard lock-out that anyone
/// who knew a user name could trigger.
/// <list type="bullet">
/// <item><b>Per source</b> (account × client address): after <see cref="AccessPolicy.MaxFailedLogins"/>
/// consecutive failures that source is refused for <see cref="AccessPolicy.LockoutDuration"/>, doubled at
/// each further round (capped at <see cref="MaxBlock"/>). Other sources are not affected.</item>
/// <item><b>Per account</b>: SP 800-63B §5.2.2 requires "no more than 100 consecutive failed attempts on a
/// single account". Failures from sources the account has never succeeded from count towards
/// <see cref="AccessPolicy.MaxAccountFailures"/> (at most 100); at the cap, those sources are refused until the
/// account succeeds from a source it knows or an administrator resets the password. Sources the account
/// has succeeded from are exempt — the same section suggests accepting "authentication requests that come
/// from a white list of IP addresses from which the subscriber has been successfully authenticated before"
/// so that an attacker cannot lock the legitimate claimant out — and a success "SHOULD disregard any
/// previous failed attempts for that user from the same IP address".</item>
/// </list>
/// Unknown user names are throttled exactly like real ones, so a refusal says nothing about which
/// names exist. The state is in memory (one singleton per process): a restart forgets it, and
/// several server instances each count on their own (docs/security.md).
/// </summary>
public sealed class CredentialThrottle(IClock clock, AccessPolicy policy)
{
    /// <summary>The longest a source is refused for (the doubling stops here).</summary>
    public static readonly TimeSpan MaxBlock = TimeSpan.FromHours(24);

    /// <summary>How long a source stays known to an account after its last success.</summary>
    public static readonly TimeSpan KnownFor = TimeSpan.FromDays(90);

    /// <summary>Beyond this many tracked entries, idle ones are forgotten (a spray of random names must not exhaust memory).</summary>
    private const int MaxEntries = 50_000;

    private const int MaxKnownSourcesPerAccount = 20;

    private readonly Lock _gate = new();
    private readonly Dictionary<(string Account, string Source), SourceState> _sources = [];
    private readonly Dictionary<string, AccountState> _accounts = new(StringComparer.Ordinal);

    /// <summary>Until when attempts on <paramref name="account"/> from <paramref name="source"/> are refused; null when allowed now.</summary>
    public DateTimeOffset? BlockedUntil(string account, string source)
    {
        var now = clock.UtcNow;
        var key = Key(account);
        lock (_gate)
        {
            DateTimeOffset? until = null;
            if (_sources.TryGetValue((key, source), out var s) && s.BlockedUntil > now)
            {
                until = s.BlockedUntil;
            }

            if (_accounts.TryGetValue(key, out var a) && a.Capped && !a.Knows(source, now))
            {
                // Refused until the owner succeeds from a known source or the password is reset: shown as the next block length.
                var retry = now + policy.LockoutDuration;
                until = until is { } u && u > retry ? u : retry;
            }

            return until;
        }
    }

    /// <summary>Counts a failed attempt; the result says whether it started a block.</summary>
    public FailedAttempt RecordFailure(string account, string source)
    {
        var now = clock.UtcNow;
        var key = Key(account);
        lock (_gate)
        {
            Prune(now);
            if (!_sources.TryGetValue((key, source), out var s))
            {
                s = new SourceState();
                _sources[(key, source)] = s;
            }

            s.LastSeen = now;
            s.Failures++;
            var sourceFailures = s.Failures;
            DateTimeOffset? blocked = null;
            if (s.Failures >= policy.MaxFailedLogins)
            {
                s.Rounds++;
                s.Failures = 0;
                s.BlockedUntil = now + Block(s.Rounds);
                blocked = s.BlockedUntil;
            }

            if (!_accounts.TryGetValue(key, out var a))
            {
                a = new AccountState();
                _accounts[key] = a;
            }

            a.LastSeen = now;
            if (!a.Knows(source, now))
            {
                a.Failures++;
                if (a.Failures >= Math.Min(policy.MaxAccountFailures, AccessPolicy.NistMaxConsecutiveFailures))
                {
                    a.Capped = true;
                    var retry = now + policy.LockoutDuration;
                    blocked = blocked is { } b && b > retry ? b : retry;
                }
            }

            return new FailedAttempt(sourceFailures, a.Failures, blocked);
        }
    }

    /// <summary>
    /// A right password: this source's failures are forgotten and it becomes known to the account;
    /// the account's count of failures from unknown sources starts again (they were not consecutive).
    /// </summary>
    public void RecordSuccess(string account, string source)
    {
        var now = clock.UtcNow;
        var key = Key(account);
        lock (_gate)
        {
            Prune(now);
            _sources.Remove((key, source));
            if (!_accounts.TryGetValue(key, out var a))
            {
                a = new AccountState();
                _accounts[key] = a;
            }

            a.LastSeen = now;
            a.Failures = 0;
            a.Capped = false;
            a.Known[source] = now;
            if (a.Known.Count > MaxKnownSourcesPerAccount)
            {
                a.Known.Remove(a.Known.MinBy(k => k.Value).Key);
            }
        }
    }

    /// <summary>An administrator re-established who the person is (password reset): every count and block on the account ends.</summary>
    public void Reset(string account)
    {
        var key = Key(account);
        lock (_gate)
        {
            foreach (var k in _sources.Keys.Where(k => k.Account == key).ToList())
            {
                _sources.Remove(k);
            }

            if (_accounts.TryGetValue(key, out var a))
            {
                a.Failures = 0;
                a.Capped = false;
            }
        }
    }

    private TimeSpan Block(int round)
    {
        var factor = Math.Pow(2, Math.Min(round - 1, 20));
        var ticks = policy.LockoutDuration.Ticks * factor;
        return ticks >= MaxBlock.Ticks ? MaxBlock : TimeSpan.FromTicks((long)ticks);
    }

    private static string Key(string account) => (account ?? "").Trim().ToLowerInvariant();

    private void Prune(DateTimeOffset now)
    {
        if (_sources.Count + _accounts.Count <= MaxEntries)
        {
            return;
        }

        // Idle: no block in force and nothing seen for longer than the longest block.
        foreach (var k in _sources.Where(e => e.Value.BlockedUntil <= now && now - e.Value.LastSeen > MaxBlock).Select(e => e.Key).ToList())
        {
            _sources.Remove(k);
        }

        foreach (var k in _accounts.Where(e => !e.Value.Capped && e.Value.Known.Count == 0 && now - e.Value.LastSeen > MaxBlock)
                     .Select(e => e.Key).ToList())
        {
            _accounts.Remove(k);
        }

        if (_sources.Count > MaxEntries / 2)
        {
            // Still too many (a spray within a day): forget the oldest unblocked half.
            foreach (var k in _sources.Where(e => e.Value.BlockedUntil <= now).OrderBy(e => e.Value.LastSeen)
                         .Take(_sources.Count / 2).Select(e => e.Key).ToList())
            {
                _sources.Remove(k);
            }
        }
    }

    private sealed class SourceState
    {
        public int Failures { get; set; }

        public int Rounds { get; set; }

        public DateTimeOffset BlockedUntil { get; set; } = DateTimeOffset.MinValue;

        public DateTimeOffset LastSeen { get; set; }
    }

    private sealed class AccountState
    {
        public int Failures { get; set; }

        public bool Capped { get; set; }

        public DateTimeOffset LastSeen { get; set; }

        public Dictionary<string, DateTimeOffset> Known { get; } = new(StringComparer.Ordinal);

        public bool Knows(string source, DateTimeOffset now) => Known.TryGetValue(source, out var at) && now - at <= KnownFor;
    }
}
