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
/// <param name="MaxFailedLogins">Consecutive failures that lock an account (issue 2: five).</param>
/// <param name="LockoutDuration">How long a lock lasts before the next try is allowed.</param>
/// <param name="MinPasswordLength">NIST SP 800-63B §5.1.1.2 asks for at least 8; we ask 12.</param>
public sealed record AccessPolicy(int MaxFailedLogins, TimeSpan LockoutDuration, int MinPasswordLength)
{
    public static AccessPolicy Default { get; } = new(5, TimeSpan.FromMinutes(15), 12);
}

/// <summary>The result of a login attempt.</summary>
public abstract record LoginOutcome
{
    private LoginOutcome() { }

    public sealed record Succeeded(UserAccount Account) : LoginOutcome;

    /// <summary>Unknown user, wrong password or disabled account: the person is told only that it failed.</summary>
    public sealed record Rejected : LoginOutcome;

    public sealed record LockedOut(DateTimeOffset Until) : LoginOutcome;
}

/// <summary>A new API token: the secret is shown once and never stored.</summary>
public sealed record IssuedToken(string Secret, ApiToken Token);

/// <summary>
/// People and access: accounts, logins with lock-out, and API tokens. Every change is journaled in
/// the same transaction; every method that changes or reveals accounts checks the actor's role.
/// </summary>
public sealed partial class AccessService(IUnitOfWorkFactory units, IPasswordHashing hashing, IClock clock, AccessPolicy policy,
    ILogger<AccessService>? logger = null)
{
    private readonly ILogger _log = logger ?? (ILogger)NullLogger.Instance;

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
        if (displayName.Length > 200)
        {
            errors.Add(new FieldError("display-name", "must be at most 200 characters"));
        }

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

        // A reset also lifts a lock-out: the administrator has re-established who the person is.
        return await ChangeUserAsync(actor, userName, "password-reset", reason,
            a => a with { PasswordHash = hashing.Hash(newPassword), FailedLogins = 0, LockedUntil = null },
            a => new { a.UserName, unlocked = true }, ct);
    }

    /// <summary>
    /// Checks a person's password. Failures count towards a lock-out; logins, failures and
    /// lock-outs are journaled. Unknown user, wrong password and disabled account look the same
    /// to the caller, so that nobody learns which names exist.
    /// </summary>
    public async Task<LoginOutcome> LoginAsync(string userName, string password, CancellationToken ct = default)
    {
        userName = (userName ?? "").Trim();
        await using var uow = await units.BeginAsync(WorkMode.Write, ct);
        var users = uow.Store<IUserStore>();
        var now = clock.UtcNow;
        var account = userName.Length == 0 ? null : await users.FindByNameAsync(userName, ct);
        if (account is null)
        {
            // Journaled as "anonymous": the typed name is what was attempted, not who attempted it.
            await uow.Journal.AppendAsync("anonymous", new JournalRecord("login", userName.Length == 0 ? "(empty)" : Truncate(userName, 64), "login-failed",
                new { reason = "unknown user" }), ct);
            await uow.CommitAsync(ct);
            return new LoginOutcome.Rejected();
        }

        var id = account.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (account.IsLockedAt(now))
        {
            await uow.Journal.AppendAsync(account.UserName, new JournalRecord("user", id, "login-refused",
                new { reason = "locked", until = JournalTime.ToText(account.LockedUntil!.Value) }), ct);
            await uow.CommitAsync(ct);
            return new LoginOutcome.LockedOut(account.LockedUntil!.Value);
        }

        var check = account.Disabled ? PasswordCheck.Failed : hashing.Verify(account.PasswordHash, password ?? "");
        if (check == PasswordCheck.Failed)
        {
            var failures = account.FailedLogins + 1;
            var locks = failures >= policy.MaxFailedLogins;
            var updated = account with
            {
                FailedLogins = locks ? 0 : failures,
                LockedUntil = locks ? now + policy.LockoutDuration : account.LockedUntil,
            };
            await SaveAsync(users, updated, account.Version, ct);
            await uow.Journal.AppendAsync(account.UserName, new JournalRecord("user", id, "login-failed",
                new { reason = account.Disabled ? "disabled" : "wrong password", failures }), ct);
            if (locks)
            {
                await uow.Journal.AppendAsync(account.UserName, new JournalRecord("user", id, "locked-out",
                    new { failures, until = JournalTime.ToText(updated.LockedUntil!.Value) }), ct);
            }

            await uow.CommitAsync(ct);
            if (locks)
            {
                RadRegenDiagnostics.LockOuts.Add(1);
                LockedOut(_log, account.UserName, failures, updated.LockedUntil!.Value);
            }

            return locks ? new LoginOutcome.LockedOut(updated.LockedUntil!.Value) : new LoginOutcome.Rejected();
        }

        var succeeded = account with
        {
            FailedLogins = 0,
            LockedUntil = null,
            PasswordHash = check == PasswordCheck.SuccessRehashNeeded ? hashing.Hash(password!) : account.PasswordHash,
        };
        if (succeeded != account)
        {
            await SaveAsync(users, succeeded, account.Version, ct);
            succeeded = succeeded with { Version = account.Version + 1 };
        }

        await uow.Journal.AppendAsync(account.UserName, new JournalRecord("user", id, "login", null), ct);
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

    [LoggerMessage(LogLevel.Warning, "Account {UserName} locked out after {Failures} failed sign-ins, until {LockedUntil:u}")]
    private static partial void LockedOut(ILogger logger, string userName, int failures, DateTimeOffset lockedUntil);
}
