namespace RadRegen.Core.Access;

/// <summary>A person's account.</summary>
public sealed record UserAccount(
    long Id,
    string UserName,
    string DisplayName,
    IReadOnlySet<Role> Roles,
    string PasswordHash,
    bool Disabled,
    int FailedLogins,
    DateTimeOffset? LockedUntil,
    DateTimeOffset CreatedAt,
    int Version)
{
    /// <summary>The interface language the person chose (<see cref="InterfaceLanguages"/>); null = as the browser asks.</summary>
    public string? Language { get; init; }

    public Actor ToActor() => new(Id, UserName, Roles);

    public bool IsLockedAt(DateTimeOffset now) => LockedUntil is { } until && until > now;
}

/// <summary>
/// The languages the interface is offered in (ADR 0041): English, the default and the language of the
/// domain's messages, and Japanese, the language of the demo center. A person's choice is one of these.
/// </summary>
public static class InterfaceLanguages
{
    public const string English = "en";

    public const string Japanese = "ja";

    /// <summary>In the order the language switcher offers them; the first is the default.</summary>
    public static IReadOnlyList<string> All { get; } = [English, Japanese];

    /// <summary>A known language's tag, or null for "as my browser asks" (empty or "browser").</summary>
    public static string? Parse(string? text, string field)
    {
        var t = text?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(t) || t == "browser")
        {
            return null;
        }

        return All.Contains(t) ? t : throw new DomainValidationException(field, $"'{text}' is not a language of the interface ({string.Join(", ", All)}, or browser)");
    }
}

/// <summary>An API token for a machine, stored as the SHA-256 of its secret.</summary>
public sealed record ApiToken(
    long Id,
    long UserId,
    string Name,
    string SecretHash,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? RevokedAt);

/// <summary>
/// An electronic signature (21 CFR 11.50, 11.70): who signed, when, with what meaning, bound to the
/// record by the SHA-256 of the record's canonical content at the moment of signing.
/// </summary>
public sealed record ElectronicSignature(
    long Id,
    long UserId,
    string UserName,
    string DisplayName,
    string Meaning,
    string RecordType,
    string RecordId,
    string RecordHash,
    DateTimeOffset SignedAt,
    long JournalSequence);

/// <summary>Checks passwords against stored hashes (PBKDF2 through ASP.NET Core's PasswordHasher in production).</summary>
public interface IPasswordHashing
{
    string Hash(string password);

    PasswordCheck Verify(string hash, string password);
}

public enum PasswordCheck
{
    Failed,
    Success,

    /// <summary>Right password, but the hash should be upgraded to the current algorithm.</summary>
    SuccessRehashNeeded,
}

/// <summary>Storage port for accounts.</summary>
public interface IUserStore
{
    Task<UserAccount?> FindByNameAsync(string userName, CancellationToken ct);

    Task<UserAccount?> FindByIdAsync(long id, CancellationToken ct);

    Task<IReadOnlyList<UserAccount>> ListAsync(CancellationToken ct);

    /// <summary>Inserts and returns the new id.</summary>
    Task<long> InsertAsync(UserAccount account, CancellationToken ct);

    /// <summary>Writes <paramref name="account"/> if its stored version is still <paramref name="expectedVersion"/>; false when stale.</summary>
    Task<bool> UpdateAsync(UserAccount account, int expectedVersion, CancellationToken ct);
}

/// <summary>Storage port for API tokens.</summary>
public interface ITokenStore
{
    Task<long> InsertAsync(ApiToken token, CancellationToken ct);

    Task<ApiToken?> FindBySecretHashAsync(string secretHash, CancellationToken ct);

    Task<ApiToken?> FindByIdAsync(long id, CancellationToken ct);

    Task<IReadOnlyList<ApiToken>> ListAsync(long? userId, CancellationToken ct);

    Task RevokeAsync(long id, DateTimeOffset at, CancellationToken ct);
}

/// <summary>Storage port for electronic signatures.</summary>
public interface ISignatureStore
{
    Task<long> InsertAsync(ElectronicSignature signature, CancellationToken ct);

    Task<IReadOnlyList<ElectronicSignature>> ListForRecordAsync(string recordType, string recordId, CancellationToken ct);
}
