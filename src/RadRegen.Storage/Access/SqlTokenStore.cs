using RadRegen.Core.Access;
using RadRegen.Core.Journal;

namespace RadRegen.Storage.Access;

internal sealed class SqlTokenStore(SqlSession session) : ITokenStore
{
    private const string Select =
        "SELECT id AS Id, user_id AS UserId, name AS Name, secret_hash AS SecretHash, created_at AS CreatedAt, "
        + "expires_at AS ExpiresAt, revoked_at AS RevokedAt FROM api_tokens";

    public Task<long> InsertAsync(ApiToken token, CancellationToken ct) =>
        session.InsertReturningIdAsync(
            "INSERT INTO api_tokens (user_id, name, secret_hash, created_at, expires_at, revoked_at) "
            + "VALUES (@UserId, @Name, @SecretHash, @CreatedAt, @ExpiresAt, NULL) RETURNING id",
            new
            {
                token.UserId,
                token.Name,
                token.SecretHash,
                CreatedAt = JournalTime.ToText(token.CreatedAt),
                ExpiresAt = JournalTime.ToText(token.ExpiresAt),
            }, ct);

    public async Task<ApiToken?> FindBySecretHashAsync(string secretHash, CancellationToken ct) =>
        (await session.SingleOrDefaultAsync<Row>(Select + " WHERE secret_hash = @secretHash", new { secretHash }, ct))?.ToToken();

    public async Task<ApiToken?> FindByIdAsync(long id, CancellationToken ct) =>
        (await session.SingleOrDefaultAsync<Row>(Select + " WHERE id = @id", new { id }, ct))?.ToToken();

    public async Task<IReadOnlyList<ApiToken>> ListAsync(long? userId, CancellationToken ct) =>
        [.. (await session.QueryAsync<Row>(
            Select + (userId is null ? "" : " WHERE user_id = @userId") + " ORDER BY id", new { userId }, ct)).Select(r => r.ToToken())];

    public Task RevokeAsync(long id, DateTimeOffset at, CancellationToken ct) =>
        session.ExecuteAsync("UPDATE api_tokens SET revoked_at = @At WHERE id = @id AND revoked_at IS NULL",
            new { id, At = JournalTime.ToText(at) }, ct);

    private sealed class Row
    {
        public long Id { get; set; }

        public long UserId { get; set; }

        public string Name { get; set; } = "";

        public string SecretHash { get; set; } = "";

        public string CreatedAt { get; set; } = "";

        public string ExpiresAt { get; set; } = "";

        public string? RevokedAt { get; set; }

        public ApiToken ToToken() => new(Id, UserId, Name, SecretHash, JournalTime.Parse(CreatedAt), JournalTime.Parse(ExpiresAt),
            RevokedAt is null ? null : JournalTime.Parse(RevokedAt));
    }
}
