using System.Text.Json;
using RadRegen.Care.Allocation;
using RadRegen.Core.Journal;

namespace RadRegen.Storage.Care;

internal sealed class SqlPriorityPolicyStore(SqlSession session) : IPriorityPolicyStore
{
    public async Task<IReadOnlyList<StoredPolicyVersion>> ListAsync(CancellationToken ct) =>
        [.. (await session.QueryAsync<Row>(
            "SELECT version AS Version, policy AS Policy, source AS Source, set_by AS SetBy, set_at AS SetAt, reason AS Reason, signature_id AS SignatureId "
            + "FROM priority_policies ORDER BY version", null, ct))
            .Select(r => new StoredPolicyVersion(
                new PolicyVersion((int)r.Version, JsonSerializer.Deserialize<PriorityPolicy>(r.Policy, PriorityPolicyService.Json)!, JournalTime.Parse(r.SetAt),
                    r.SetBy, r.Reason, r.SignatureId), r.Source))];

    public Task InsertAsync(StoredPolicyVersion version, CancellationToken ct) =>
        session.ExecuteAsync(
            "INSERT INTO priority_policies (version, policy, source, set_by, set_at, reason, signature_id) "
            + "VALUES (@Version, @Policy, @Source, @SetBy, @SetAt, @Reason, @SignatureId)",
            new
            {
                Version = (long)version.Version.Version,
                Policy = JsonSerializer.Serialize(version.Version.Policy, PriorityPolicyService.Json),
                version.Source,
                version.Version.SetBy,
                SetAt = JournalTime.ToText(version.Version.SetAt),
                version.Version.Reason,
                version.Version.SignatureId,
            }, ct);

    private sealed class Row
    {
        public long Version { get; set; }

        public string Policy { get; set; } = "";

        public string Source { get; set; } = "";

        public string SetBy { get; set; } = "";

        public string SetAt { get; set; } = "";

        public string Reason { get; set; } = "";

        public long? SignatureId { get; set; }
    }
}
