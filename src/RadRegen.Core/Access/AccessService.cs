using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RadRegen.Core.Diagnostics;
using RadRegen.Core.Journal;

namespace RadRegen.Core.Access;

/// <summary>How strict access is. The defaults follow common practice for regulated systems.</summary>
/// <param name="MaxFailedLogins">
/// Consecutive failed password attempts (sign-in or e-signature) on one account from one source
/// before that source is refused (issue 2: five). Configuration key <c>Access:MaxFailedLogins</c>.
/// </param>
/// <param name="LockoutDuration">
/// How long a source is refused the first time; each further round from the same source doubles it,
/// up to <see cref="CredentialThrottle.MaxBlock"/>. Configuration key <c>Access:LockoutMinutes</c>.
/// </param>
/// <param name="MinPasswordLength">NIST SP 800-63B §5.1.1.2 asks for at least 8; we ask 12.</param>
public sealed record AccessPolicy(int MaxFailedLogins, TimeSpan LockoutDuration, int MinPasswordLength)
{
    /// <summary>NIST SP 800-63B §5.2.2: "no more than 100 consecutive failed attempts on a single account".</summary>
    public const int NistMaxConsecutiveFailures = 100;

    public static AccessPolicy Default { get; } = new(5, TimeSpan.FromMinutes(15), 12);

    /// <summary>
    /// Consecutive failures on one account from sources it has never succeeded from, after which
    /// those sources are refused until it succeeds from a known one or its password is reset
    /// (<see cref="CredentialThrottle"/>); at most <see cref="NistMaxConsecutiveFailures"/>.
    /// Configuration key <c>Access:MaxAccountFailures</c>.
    /// </summary>
    public int MaxAccountFailures { get; init; } = NistMaxConsecutiveFailures;
}

/// <summary>The result of a login attempt.</summary>
public abstract record LoginOutcome
{
    private LoginOutcome() { }

    public sealed record Succeeded(UserAccount Account) : LoginOutcome;

    /// <summary>Unknown user, wrong password or disabled account: the person is told only that it failed.</summary>
    public sealed record Rejected : LoginOutcome;

    /// <summary>
    /// Too many failures on this name from this source (or, from a source the account does not know,
    /// on the account): refused unheard until <paramref name="Until"/>. Unknown names are throttled
    /// the same way, so this says nothing about whether the name exists.
    /// </summary>
    public sealed record Throttled(DateTimeOffset Until) : LoginOutcome;
}

/// <summary>A new API token: the secret is shown once and never stored.</summary>
public sealed record IssuedToken(string Secret, ApiToken Token);

/// <summary>
/// People and access: accounts, logins with lock-out, and API tokens. Every change is journaled in
/// the same transaction; every method that changes or reveals accounts checks the actor's role.
/// </summary>
public sealed partial class AccessService(IUnitOfWorkFactory units, IPasswordHashing hashing, IClock clock, AccessPolicy policy,
    CredentialThrottle throttle, IAttemptSource source, ILogger<AccessService>? logger = null)
{
    private readonly ILogger _log = logger ?? (ILogger)NullLogger.Instance;

    // An unknown name is checked against this hash of a random password, so that it costs the same
    // PBKDF2 work as a known one and answers in the same time (the result is always a failure).
    private readonly Lazy<string> _dummyHash = new(() => hashing.Hash(Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24))));

    public const string TokenPrefix = "rr_";

    public async Task<UserAccount> AddUserAsync(Actor actor, string userName, string displayName, IReadOnlySet<Role> roles,
        string password, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.AccountsManage);
        var errors = new List<FieldError>();
        userName = (userName ?? "").Trim();
        if (!UserNamePattern().IsMatch(userName))
        {
            errors.Add(new FieldError("user", "must be 2 to 64 characters: lower-case letters, digits, '.', '_' or '-', starting with a letter or digit"));
        }

        displayName = string.IsNullOrWhiteSpace(displayName) ? userName : displayName.Trim();
        new InputLimits(errors).Text("display-name", displayName, Limits.ShortName);

        if (roles is null || roles.Count == 0)
        {
            errors.Add(new FieldError("role", "at least one role is required"));
        }

        CheckPassword(password, errors);
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var users = uow.Store<IUserStore>();
        if (await users.FindByNameAsync(userName, ct) is not null)
        {
            throw new ConflictException($"user '{userName}' already exists");
        }

        var now = clock.UtcNow;
        var account = new UserAccount(0, userName, displayName, roles!, hashing.Hash(password), false, 0, null, now, 1);
        var id = await users.InsertAsync(account, ct);
        account = account with { Id = id };
        await uow.Journal.AppendAsync(actor.UserName,
            new JournalRecord("user", id.ToString(System.Globalization.CultureInfo.InvariantCulture), "created",
                new { userName, displayName, roles = RoleNames.Format(account.Roles) }), ct);
        await uow.CommitAsync(ct);
        return account;
    }

    public async Task<IReadOnlyList<UserAccount>> ListUsersAsync(Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.AccountsRead);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await uow.Store<IUserStore>().ListAsync(ct);
    }

    public async Task<UserAccount> DisableUserAsync(Actor actor, string userName, string reason, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.AccountsManage);
        RequireReason(reason);
        return await ChangeUserAsync(actor, userName, "disabled", reason, a => a with { Disabled = true },
            a => new { a.UserName }, ct);
    }

    public async Task<UserAccount> ResetPasswordAsync(Actor actor, string userName, string newPassword, string? reason = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.AccountsManage);
        var errors = new List<FieldError>();
        CheckPassword(newPassword, errors);
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        // A reset also ends every throttle on the account: the administrator has re-established who the person is.
        var updated = await ChangeUserAsync(actor, userName, "password-reset", reason,
            a => a with { PasswordHash = hashing.Hash(newPassword), FailedLogins = 0, LockedUntil = null },
            a => new { a.UserName, unlocked = true }, ct);
        throttle.Reset(updated.UserName);
        return updated;
    }

    /// <summary>
    /// Checks a person's password. Failures count towards the throttle per account and per source
    /// (<see cref="CredentialThrottle"/>, shared with e-signatures); logins, failures and throttling
    /// are journaled with the source. Unknown user, wrong password and disabled account look the
    /// same to the caller — same answer, same work (an unknown name is verified against a dummy
    /// hash), same throttling — so that nobody learns which names exist.
    /// </summary>
    public async Task<LoginOutcome> LoginAsync(string userName, string password, CancellationToken ct = default)
    {
        userName = (userName ?? "").Trim();
        var from = source.Current;
        var attempted = userName.Length == 0 ? "(empty)" : Truncate(userName, 64);
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var users = uow.Store<IUserStore>();
        var account = userName.Length == 0 ? null : await users.FindByNameAsync(userName, ct);
        // Journaled as "anonymous" for an unknown name: the typed name is what was attempted, not who attempted it.
        var who = account?.UserName ?? "anonymous";
        var record = account is null
            ? (Type: "login", Id: attempted)
            : (Type: "user", Id: account.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (throttle.BlockedUntil(attempted, from) is { } blocked)
        {
            await uow.Journal.AppendAsync(who, new JournalRecord(record.Type, record.Id, "login-refused",
                new { reason = "throttled", source = from, until = JournalTime.ToText(blocked) }), ct);
            await uow.CommitAsync(ct);
            return new LoginOutcome.Throttled(blocked);
        }

        var check = hashing.Verify(account?.PasswordHash ?? _dummyHash.Value, password ?? "");
        if (account is null || account.Disabled || check == PasswordCheck.Failed)
        {
            var failed = throttle.RecordFailure(attempted, from);
            var reason = account is null ? "unknown user" : account.Disabled ? "disabled" : "wrong password";
            await uow.Journal.AppendAsync(who, new JournalRecord(record.Type, record.Id, "login-failed",
                new { reason, source = from, failures = failed.SourceFailures }), ct);
            if (failed.BlockedUntil is { } until)
            {
                await uow.Journal.AppendAsync(who, new JournalRecord(record.Type, record.Id, "throttled",
                    new { source = from, failures = failed.SourceFailures, accountFailures = failed.AccountFailures, until = JournalTime.ToText(until) }), ct);
            }

            await uow.CommitAsync(ct);
            if (failed.BlockedUntil is { } throttledUntil)
            {
                RadRegenDiagnostics.LockOuts.Add(1);
                Throttled(_log, attempted, from, failed.SourceFailures, throttledUntil);
                return new LoginOutcome.Throttled(throttledUntil);
            }

            return new LoginOutcome.Rejected();
        }

        throttle.RecordSuccess(account.UserName, from);
        var id = record.Id;
        var succeeded = account with
        {
            // The columns of the lock-out this throttle replaced (ADR 0020): cleared, no longer read.
            FailedLogins = 0,
            LockedUntil = null,
            PasswordHash = check == PasswordCheck.SuccessRehashNeeded ? hashing.Hash(password!) : account.PasswordHash,
        };
        if (succeeded != account)
        {
            await SaveAsync(users, succeeded, account.Version, ct);
            succeeded = succeeded with { Version = account.Version + 1 };
        }

        await uow.Journal.AppendAsync(account.UserName, new JournalRecord("user", id, "login", new { source = from }), ct);
        await uow.CommitAsync(ct);
        return new LoginOutcome.Succeeded(succeeded);
    }

    /// <summary>Records a logout on the journal.</summary>
    public async Task LogoutAsync(Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("user",
            actor.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture), "logout", null), ct);
        await uow.CommitAsync(ct);
    }

    /// <summary>
    /// A person's own choice of interface language (<see cref="InterfaceLanguages"/>; null = as the browser asks),
    /// kept on the account so it follows them to any computer at sign-in. Anyone signed in may set their own.
    /// </summary>
    public async Task<UserAccount> SetLanguageAsync(Actor actor, string? language, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var tag = InterfaceLanguages.Parse(language, "language");
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var users = uow.Store<IUserStore>();
        var account = await users.FindByIdAsync(actor.UserId, ct)
            ?? throw new NotFoundException($"no user with id {actor.UserId}");
        if (account.Language == tag)
        {
            return account;
        }

        var updated = account with { Language = tag };
        await SaveAsync(users, updated, account.Version, ct);
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("user",
            account.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "language", new { language = tag ?? "browser" }), ct);
        await uow.CommitAsync(ct);
        return updated with { Version = account.Version + 1 };
    }

    /// <summary>The actor for a user id if the account still exists and is usable now; null otherwise.</summary>
    public async Task<Actor?> FindActiveActorAsync(long userId, CancellationToken ct = default)
    {
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        var account = await uow.Store<IUserStore>().FindByIdAsync(userId, ct);
        return account is null || account.Disabled ? null : account.ToActor();
    }

    public async Task<IssuedToken> CreateTokenAsync(Actor actor, string userName, string name, int days, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.AccountsManage);
        var errors = new List<FieldError>();
        if (days is < 1 or > 366)
        {
            errors.Add(new FieldError("expires", "must be between 1 and 366 days"));
        }

        name = string.IsNullOrWhiteSpace(name) ? "api" : name.Trim();
        if (name.Length > 100)
        {
            errors.Add(new FieldError("name", "must be at most 100 characters"));
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var account = await uow.Store<IUserStore>().FindByNameAsync(userName?.Trim() ?? "", ct)
            ?? throw new DomainValidationException("user", $"no user named '{userName}'");
        if (account.Disabled)
        {
            throw new DomainValidationException("user", $"user '{account.UserName}' is disabled");
        }

        var secret = TokenPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var now = clock.UtcNow;
        var token = new ApiToken(0, account.Id, name, HashSecret(secret), now, now.AddDays(days), null);
        var tokens = uow.Store<ITokenStore>();
        token = token with { Id = await tokens.InsertAsync(token, ct) };
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("api-token",
            token.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "created",
            new { user = account.UserName, name, expiresAt = JournalTime.ToText(token.ExpiresAt) }), ct);
        await uow.CommitAsync(ct);
        return new IssuedToken(secret, token);
    }

    public async Task RevokeTokenAsync(Actor actor, long tokenId, string? reason, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.AccountsManage);
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var tokens = uow.Store<ITokenStore>();
        var token = await tokens.FindByIdAsync(tokenId, ct) ?? throw new NotFoundException($"no API token with id {tokenId}");
        if (token.RevokedAt is not null)
        {
            throw new ConflictException($"API token {tokenId} is already revoked");
        }

        await tokens.RevokeAsync(tokenId, clock.UtcNow, ct);
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("api-token",
            tokenId.ToString(System.Globalization.CultureInfo.InvariantCulture), "revoked", null, reason), ct);
        await uow.CommitAsync(ct);
    }

    public async Task<IReadOnlyList<ApiToken>> ListTokensAsync(Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.AccountsRead);
        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        return await uow.Store<ITokenStore>().ListAsync(null, ct);
    }

    /// <summary>The account behind a bearer token, or null when the token is unknown, expired, revoked or its user disabled.</summary>
    public async Task<UserAccount?> AuthenticateTokenAsync(string secret, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(secret) || !secret.StartsWith(TokenPrefix, StringComparison.Ordinal) || secret.Length > 200)
        {
            return null;
        }

        await using var uow = await units.BeginAsync(WorkMode.Read, ct);
        var token = await uow.Store<ITokenStore>().FindBySecretHashAsync(HashSecret(secret), ct);
        if (token is null || token.RevokedAt is not null || token.ExpiresAt <= clock.UtcNow)
        {
            return null;
        }

        var account = await uow.Store<IUserStore>().FindByIdAsync(token.UserId, ct);
        return account is null || account.Disabled ? null : account;
    }

    /// <summary>
    /// Tokens are 256 random bits, so a plain SHA-256 is a sufficient one-way store (a slow hash
    /// defends guessable secrets; these are not guessable) and allows lookup by hash.
    /// </summary>
    public static string HashSecret(string secret) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private async Task<UserAccount> ChangeUserAsync(Actor actor, string userName, string action, string? reason,
        Func<UserAccount, UserAccount> change, Func<UserAccount, object> payload, CancellationToken ct)
    {
        new InputLimits().Text("reason", reason, Limits.FreeText).ThrowIfAny();
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var users = uow.Store<IUserStore>();
        var account = await users.FindByNameAsync(userName?.Trim() ?? "", ct)
            ?? throw new NotFoundException($"no user named '{userName}'");
        var updated = change(account);
        await SaveAsync(users, updated, account.Version, ct);
        await uow.Journal.AppendAsync(actor.UserName, new JournalRecord("user",
            account.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), action, payload(updated), reason), ct);
        await uow.CommitAsync(ct);
        return updated with { Version = account.Version + 1 };
    }

    private static async Task SaveAsync(IUserStore users, UserAccount updated, int expectedVersion, CancellationToken ct)
    {
        if (!await users.UpdateAsync(updated, expectedVersion, ct))
        {
            throw new ConflictException($"user '{updated.UserName}' was changed by someone else; try again");
        }
    }

    private void CheckPassword(string? password, List<FieldError> errors)
    {
        if (password is null || password.Length < policy.MinPasswordLength)
        {
            errors.Add(new FieldError("password", $"must be at least {policy.MinPasswordLength} characters"));
        }
        else if (password.Length > 256)
        {
            errors.Add(new FieldError("password", "must be at most 256 characters"));
        }
    }

    private static void RequireReason(string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainValidationException("reason", "a reason is required");
        }
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{1,63}$")]
    private static partial Regex UserNamePattern();

    [LoggerMessage(LogLevel.Warning, "Sign-in as {UserName} from {Source} throttled after {Failures} failed attempts, until {Until:u}")]
    private static partial void Throttled(ILogger logger, string userName, string source, int failures, DateTimeOffset until);
}
