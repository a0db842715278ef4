using System.Text.Json;
using RadRegen.Core.Journal;
using RadRegen.Network.Hub;

namespace RadRegen.Storage.Network;

/// <summary>The hub's tables (migration 0023): members, requests and offers as JSON documents; the IRIX report chain. Saves compare the row version.</summary>
internal sealed class SqlHubStore(SqlSession session) : IHubStore
{
    public async Task<HubMember?> GetMemberAsync(string code, CancellationToken ct) =>
        await session.SingleOrDefaultAsync<Doc>("SELECT document AS Document, version AS Version FROM hub_members WHERE code = @code", new { code }, ct) is { } d
            ? Read<HubMember>(d) with { Version = d.Version }
            : null;

    public async Task<IReadOnlyList<HubMember>> ListMembersAsync(CancellationToken ct) =>
        [.. (await session.QueryAsync<Doc>("SELECT document AS Document, version AS Version FROM hub_members ORDER BY code", null, ct))
            .Select(d => Read<HubMember>(d) with { Version = d.Version })];

    public async Task<bool> SaveMemberAsync(HubMember member, long expectedVersion, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(member);
        var args = new
        {
            member.Code,
            member.Source,
            Kind = member.Kind.Name(),
            member.Center,
            Document = Write(member with { Version = 0 }),
            DeclaredAt = JournalTime.ToText(member.DeclaredAt),
            Version = expectedVersion + 1,
            Expected = expectedVersion,
        };
        return expectedVersion == 0
            ? await session.ExecuteAsync("INSERT INTO hub_members (code, source, kind, center, document, declared_at, version) "
                + "VALUES (@Code, @Source, @Kind, @Center, @Document, @DeclaredAt, @Version)", args, ct) == 1
            : await session.ExecuteAsync("UPDATE hub_members SET source = @Source, kind = @Kind, center = @Center, document = @Document, declared_at = @DeclaredAt, "
                + "version = @Version WHERE code = @Code AND version = @Expected", args, ct) == 1;
    }

    public async Task<AssistanceRequest?> GetRequestAsync(string id, CancellationToken ct) =>
        await session.SingleOrDefaultAsync<Doc>("SELECT document AS Document, version AS Version FROM hub_requests WHERE id = @id", new { id }, ct) is { } d
            ? Read<AssistanceRequest>(d) with { Version = d.Version }
            : null;

    public async Task<IReadOnlyList<AssistanceRequest>> ListRequestsAsync(CancellationToken ct) =>
        [.. (await session.QueryAsync<Doc>("SELECT document AS Document, version AS Version FROM hub_requests ORDER BY requested_at DESC, id", null, ct))
            .Select(d => Read<AssistanceRequest>(d) with { Version = d.Version })];

    public async Task<bool> SaveRequestAsync(AssistanceRequest request, long expectedVersion, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var args = new
        {
            request.Id,
            request.Source,
            request.Requester,
            Confidentiality = request.Confidentiality.Name(),
            Document = Write(request with { Version = 0 }),
            RequestedAt = JournalTime.ToText(request.RequestedAt),
            Version = expectedVersion + 1,
            Expected = expectedVersion,
        };
        return expectedVersion == 0
            ? await session.ExecuteAsync("INSERT INTO hub_requests (id, source, requester, confidentiality, document, requested_at, version) "
                + "VALUES (@Id, @Source, @Requester, @Confidentiality, @Document, @RequestedAt, @Version)", args, ct) == 1
            : await session.ExecuteAsync("UPDATE hub_requests SET requester = @Requester, confidentiality = @Confidentiality, document = @Document, "
                + "requested_at = @RequestedAt, version = @Version WHERE id = @Id AND version = @Expected", args, ct) == 1;
    }

    public async Task<AssistanceOffer?> GetOfferAsync(string id, CancellationToken ct) =>
        await session.SingleOrDefaultAsync<Doc>("SELECT document AS Document, version AS Version FROM hub_offers WHERE id = @id", new { id }, ct) is { } d
            ? Read<AssistanceOffer>(d) with { Version = d.Version }
            : null;

    public async Task<IReadOnlyList<AssistanceOffer>> ListOffersAsync(string? requestId, CancellationToken ct) =>
        [.. (await session.QueryAsync<Doc>(
                "SELECT document AS Document, version AS Version FROM hub_offers " + (requestId is null ? "" : "WHERE request_id = @requestId ") + "ORDER BY offered_at, id",
                new { requestId }, ct))
            .Select(d => Read<AssistanceOffer>(d) with { Version = d.Version })];

    public async Task<bool> SaveOfferAsync(AssistanceOffer offer, long expectedVersion, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(offer);
        var args = new
        {
            offer.Id,
            offer.RequestId,
            offer.Source,
            offer.RequestSource,
            offer.Offerer,
            Document = Write(offer with { Version = 0 }),
            OfferedAt = JournalTime.ToText(offer.OfferedAt),
            Version = expectedVersion + 1,
            Expected = expectedVersion,
        };
        return expectedVersion == 0
            ? await session.ExecuteAsync("INSERT INTO hub_offers (id, request_id, source, request_source, offerer, document, offered_at, version) "
                + "VALUES (@Id, @RequestId, @Source, @RequestSource, @Offerer, @Document, @OfferedAt, @Version)", args, ct) == 1
            : await session.ExecuteAsync("UPDATE hub_offers SET offerer = @Offerer, document = @Document, offered_at = @OfferedAt, version = @Version "
                + "WHERE id = @Id AND version = @Expected", args, ct) == 1;
    }

    public Task InsertIrixReportAsync(IrixReportRecord report, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(report);
        return session.ExecuteAsync("INSERT INTO hub_irix_reports (report_uuid, request_id, seq, direction, follows, revokes, at, by_user) "
            + "VALUES (@ReportUuid, @RequestId, (SELECT COUNT(*) + 1 FROM hub_irix_reports WHERE request_id = @RequestId), @Direction, @Follows, @Revokes, @At, @By)",
            new { report.ReportUuid, report.RequestId, report.Direction, report.Follows, report.Revokes, At = JournalTime.ToText(report.At), report.By }, ct);
    }

    public async Task<IrixReportRecord?> FindIrixReportAsync(string reportUuid, CancellationToken ct) =>
        (await session.SingleOrDefaultAsync<ReportRow>($"{ReportColumns} WHERE report_uuid = @reportUuid", new { reportUuid }, ct))?.ToRecord();

    public async Task<IReadOnlyList<IrixReportRecord>> ListIrixReportsAsync(string requestId, CancellationToken ct) =>
        [.. (await session.QueryAsync<ReportRow>($"{ReportColumns} WHERE request_id = @requestId ORDER BY seq", new { requestId }, ct)).Select(r => r.ToRecord())];

    private const string ReportColumns =
        "SELECT report_uuid AS ReportUuid, request_id AS RequestId, direction AS Direction, follows AS Follows, revokes AS Revokes, at AS At, by_user AS ByUser FROM hub_irix_reports";

    private static string Write<T>(T value) => JsonSerializer.Serialize(value, HubJson.Options);

    private static T Read<T>(Doc d) => JsonSerializer.Deserialize<T>(d.Document, HubJson.Options)
        ?? throw new InvalidOperationException($"an empty {typeof(T).Name} document in the hub's tables");

    private sealed class Doc
    {
        public string Document { get; set; } = "";

        public long Version { get; set; }
    }

    private sealed class ReportRow
    {
        public string ReportUuid { get; set; } = "";

        public string RequestId { get; set; } = "";

        public string Direction { get; set; } = "";

        public string? Follows { get; set; }

        public string? Revokes { get; set; }

        public string At { get; set; } = "";

        public string ByUser { get; set; } = "";

        public IrixReportRecord ToRecord() => new(ReportUuid, RequestId, Direction, Follows, Revokes, JournalTime.Parse(At), ByUser);
    }
}
