using System.Text.Json;
using System.Text.Json.Serialization;
using RadRegen.Bank;
using RadRegen.Bank.Model;
using RadRegen.Core.Journal;

namespace RadRegen.Storage.Network;

/// <summary>Received lots and vials transferred out (migration 0022, ADR 0031); lineage and custody as JSON documents.</summary>
internal sealed class SqlReceivedLotStore(SqlSession session) : IReceivedLotStore
{
    private const string ReceivedColumns =
        "id AS Id, lot_id AS LotId, shipment_id AS ShipmentId, from_center AS FromCenter, lineage AS Lineage, divisions AS Divisions, custody AS Custody, "
        + "accepted_at AS AcceptedAt, accepted_by AS AcceptedBy, signature_id AS SignatureId FROM bank_received_lots";

    private const string TransferColumns =
        "vial_id AS VialId, shipment_id AS ShipmentId, to_center AS ToCenter, shipped_at AS ShippedAt, returned_at AS ReturnedAt, "
        + "return_shipment_id AS ReturnShipmentId FROM bank_vial_transfers_out";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public Task<long> InsertReceivedAsync(ReceivedLot received, CancellationToken ct) =>
        session.InsertReturningIdAsync(
            "INSERT INTO bank_received_lots (lot_id, shipment_id, from_center, lineage, divisions, custody, accepted_at, accepted_by, signature_id) "
            + "VALUES (@LotId, @ShipmentId, @FromCenter, @Lineage, @Divisions, @Custody, @AcceptedAt, @AcceptedBy, @SignatureId) RETURNING id",
            new
            {
                received.LotId,
                received.ShipmentId,
                received.FromCenter,
                Lineage = JsonSerializer.Serialize(received.Lineage, Json),
                Divisions = JsonSerializer.Serialize(received.Divisions, Json),
                Custody = JsonSerializer.Serialize(received.Custody, Json),
                AcceptedAt = JournalTime.ToText(received.AcceptedAt),
                received.AcceptedBy,
                received.SignatureId,
            }, ct);

    public async Task<IReadOnlyList<ReceivedLot>> ListReceivedForLotAsync(long lotId, CancellationToken ct) =>
        [.. (await session.QueryAsync<ReceivedRow>($"SELECT {ReceivedColumns} WHERE lot_id = @lotId ORDER BY id", new { lotId }, ct)).Select(r => r.ToRecord())];

    public async Task<IReadOnlyList<ReceivedLot>> ListReceivedForShipmentAsync(string shipmentId, CancellationToken ct) =>
        [.. (await session.QueryAsync<ReceivedRow>($"SELECT {ReceivedColumns} WHERE shipment_id = @shipmentId ORDER BY id", new { shipmentId }, ct))
            .Select(r => r.ToRecord())];

    public Task InsertTransferOutAsync(VialTransferOut transfer, CancellationToken ct) =>
        session.ExecuteAsync(
            "INSERT INTO bank_vial_transfers_out (vial_id, shipment_id, to_center, shipped_at, returned_at, return_shipment_id) "
            + "VALUES (@VialId, @ShipmentId, @ToCenter, @ShippedAt, NULL, NULL) "
            + "ON CONFLICT (vial_id) DO UPDATE SET shipment_id = excluded.shipment_id, to_center = excluded.to_center, shipped_at = excluded.shipped_at, "
            + "returned_at = NULL, return_shipment_id = NULL",
            new { transfer.VialId, transfer.ShipmentId, transfer.ToCenter, ShippedAt = JournalTime.ToText(transfer.ShippedAt) }, ct);

    public async Task<VialTransferOut?> FindTransferOutAsync(long vialId, CancellationToken ct) =>
        (await session.SingleOrDefaultAsync<TransferRow>($"SELECT {TransferColumns} WHERE vial_id = @vialId", new { vialId }, ct)) is { } r
            ? new VialTransferOut(r.VialId, r.ShipmentId, r.ToCenter, JournalTime.Parse(r.ShippedAt), r.ReturnedAt is null ? null : JournalTime.Parse(r.ReturnedAt),
                r.ReturnShipmentId)
            : null;

    public async Task<bool> MarkReturnedAsync(long vialId, string returnShipmentId, DateTimeOffset at, CancellationToken ct) =>
        await session.ExecuteAsync(
            "UPDATE bank_vial_transfers_out SET returned_at = @At, return_shipment_id = @returnShipmentId WHERE vial_id = @vialId AND returned_at IS NULL",
            new { vialId, returnShipmentId, At = JournalTime.ToText(at) }, ct) == 1;

    private sealed class ReceivedRow
    {
        public long Id { get; set; }

        public long LotId { get; set; }

        public string ShipmentId { get; set; } = "";

        public string FromCenter { get; set; } = "";

        public string Lineage { get; set; } = "";

        public string Divisions { get; set; } = "";

        public string Custody { get; set; } = "";

        public string AcceptedAt { get; set; } = "";

        public string AcceptedBy { get; set; } = "";

        public long SignatureId { get; set; }

        public ReceivedLot ToRecord() => new(Id, LotId, ShipmentId, FromCenter, JsonSerializer.Deserialize<LotLineage>(Lineage, Json)!,
            JsonSerializer.Deserialize<List<string>>(Divisions, Json)!, JsonSerializer.Deserialize<List<ProvenanceHandOff>>(Custody, Json)!,
            JournalTime.Parse(AcceptedAt), AcceptedBy, SignatureId);
    }

    private sealed class TransferRow
    {
        public long VialId { get; set; }

        public string ShipmentId { get; set; } = "";

        public string ToCenter { get; set; } = "";

        public string ShippedAt { get; set; } = "";

        public string? ReturnedAt { get; set; }

        public string? ReturnShipmentId { get; set; }
    }
}
