using System.Text.Json;
using RadRegen.Core.Journal;
using RadRegen.Planning;
using RadRegen.Planning.Scenarios;

namespace RadRegen.Storage.Planning;

internal sealed class SqlScenarioStore(SqlSession session) : IScenarioStore
{
    private const string Columns = "id AS Id, version AS Version, document AS Document, set_by AS SetBy, set_at AS SetAt, reason AS Reason";

    public async Task<IReadOnlyList<StoredScenario>> ListCurrentAsync(CancellationToken ct) =>
        [.. (await session.QueryAsync<Row>(
            $"SELECT {Columns} FROM planning_scenarios s WHERE version = (SELECT MAX(version) FROM planning_scenarios t WHERE t.id = s.id) ORDER BY id", null, ct))
            .Select(Read)];

    public async Task<IReadOnlyList<StoredScenario>> HistoryAsync(string id, CancellationToken ct) =>
        [.. (await session.QueryAsync<Row>($"SELECT {Columns} FROM planning_scenarios WHERE id = @Id ORDER BY version", new { Id = id }, ct)).Select(Read)];

    public Task InsertAsync(StoredScenario scenario, CancellationToken ct) =>
        session.ExecuteAsync(
            "INSERT INTO planning_scenarios (id, version, kind, document, set_by, set_at, reason) VALUES (@Id, @Version, @Kind, @Document, @SetBy, @SetAt, @Reason)",
            new
            {
                scenario.Scenario.Id,
                Version = (long)scenario.Scenario.Version,
                Kind = scenario.Scenario.Kind.ToString(),
                Document = JsonSerializer.Serialize(scenario.Scenario, PlanningJson.Options),
                scenario.SetBy,
                SetAt = JournalTime.ToText(scenario.SetAt),
                scenario.Reason,
            }, ct);

    private static StoredScenario Read(Row r) =>
        new(JsonSerializer.Deserialize<Scenario>(r.Document, PlanningJson.Options)!, r.SetBy, JournalTime.Parse(r.SetAt), r.Reason);

    private sealed class Row
    {
        public string Id { get; set; } = "";

        public long Version { get; set; }

        public string Document { get; set; } = "";

        public string SetBy { get; set; } = "";

        public string SetAt { get; set; } = "";

        public string Reason { get; set; } = "";
    }
}
