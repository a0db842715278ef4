using RadRegen.Core.Access;
using RadRegen.Core.Journal;

namespace RadRegen.Storage.Access;

internal sealed class SqlUserStore(SqlSession session) : IUserStore
{
    private const string Select =
        "SELECT id AS Id, user_name AS UserName, display_name AS DisplayName, roles AS Roles, password_hash AS PasswordHash, "
        + "disabled AS Disabled, failed_logins AS FailedLogins, locked_until AS LockedUntil, created_at AS CreatedAt, "
        + "version AS Version, language AS Language FROM users";

    public async Task<UserAccount?> FindByNameAsync(string userName, CancellationToken ct) =>
        (await session.SingleOrDefaultAsync<Row>(Select + " WHERE user_name = @userName", new { userName }, ct))?.ToAccount();

    public async Task<UserAccount?> FindByIdAsync(long id, CancellationToken ct) =>
        (await session.SingleOrDefaultAsync<Row>(Select + " WHERE id = @id", new { id }, ct))?.ToAccount();

    public async Task<IReadOnlyList<UserAccount>> ListAsync(CancellationToken ct) =>
        [.. (await session.QueryAsync<Row>(Select + " ORDER BY user_name", null, ct)).Select(r => r.ToAccount())];

    public Task<long> InsertAsync(UserAccount account, CancellationToken ct) =>
        session.InsertReturningIdAsync(
            "INSERT INTO users (user_name, display_name, roles, password_hash, disabled, failed_logins, locked_until, created_at, version, language) "
            + "VALUES (@UserName, @DisplayName, @Roles, @PasswordHash, @Disabled, @FailedLogins, @LockedUntil, @CreatedAt, 1, @Language) RETURNING id",
            Row.Args(account), ct);

    public async Task<bool> UpdateAsync(UserAccount account, int expectedVersion, CancellationToken ct)
    {
        var args = Row.Args(account);
        var changed = await session.ExecuteAsync(
            "UPDATE users SET display_name = @DisplayName, roles = @Roles, password_hash = @PasswordHash, disabled = @Disabled, "
            + "failed_logins = @FailedLogins, locked_until = @LockedUntil, language = @Language, version = version + 1 "
            + "WHERE id = @Id AND version = @ExpectedVersion",
            new { args.Id, args.DisplayName, args.Roles, args.PasswordHash, args.Disabled, args.FailedLogins, args.LockedUntil, args.Language, ExpectedVersion = expectedVersion },
            ct);
        return changed == 1;
    }

    private sealed class Row
    {
        public long Id { get; set; }

        public string UserName { get; set; } = "";

        public string DisplayName { get; set; } = "";

        public string Roles { get; set; } = "";

        public string PasswordHash { get; set; } = "";

        public long Disabled { get; set; }

        public long FailedLogins { get; set; }

        public string? LockedUntil { get; set; }

        public string CreatedAt { get; set; } = "";

        public long Version { get; set; }

        public string? Language { get; set; }

        public static Row Args(UserAccount a) => new()
        {
            Id = a.Id,
            UserName = a.UserName,
            DisplayName = a.DisplayName,
            Roles = RoleNames.Format(a.Roles),
            PasswordHash = a.PasswordHash,
            Disabled = a.Disabled ? 1 : 0,
            FailedLogins = a.FailedLogins,
            LockedUntil = a.LockedUntil is { } l ? JournalTime.ToText(l) : null,
            CreatedAt = JournalTime.ToText(a.CreatedAt),
            Version = a.Version,
            Language = a.Language,
        };

        public UserAccount ToAccount() => new(
            Id,
            UserName,
            DisplayName,
            RoleNames.ParseList(Roles),
            PasswordHash,
            Disabled != 0,
            (int)FailedLogins,
            LockedUntil is null ? null : JournalTime.Parse(LockedUntil),
            JournalTime.Parse(CreatedAt),
            (int)Version)
        {
            Language = Language,
        };
    }
}
