using System.Text.Json;
using RadRegen.Care.Laboratory;
using RadRegen.Core.Journal;

namespace RadRegen.Storage.Care;

internal sealed class SqlLabCurveStore(SqlSession session) : ILabCurveStore
{
    private const string Columns =
        "id AS Id, assay AS Assay, name AS Name, model AS Model, c AS C, alpha AS Alpha, beta AS Beta, covariance AS Covariance, source AS Source, "
        + "radiation_quality AS RadiationQuality, counts AS Counts, fit AS Fit, created_by AS CreatedBy, created_at AS CreatedAt, active AS Active, version AS Version, "
        + "calibrated_from_gy AS CalibratedFromGy, calibrated_to_gy AS CalibratedToGy, activation_signature_id AS ActivationSignatureId, "
        + "activated_by AS ActivatedBy, activated_at AS ActivatedAt";

    public Task<long> InsertCurveAsync(NewLabCurve curve, CancellationToken ct) =>
        session.InsertReturningIdAsync(
            "INSERT INTO lab_curves (assay, name, model, c, alpha, beta, covariance, source, radiation_quality, counts, fit, created_by, created_at, active, version, "
            + "calibrated_from_gy, calibrated_to_gy) "
            + "VALUES (@Assay, @Name, @Model, @C, @Alpha, @Beta, @Covariance, @Source, @RadiationQuality, @Counts, @Fit, @CreatedBy, @CreatedAt, 0, 1, "
            + "@CalibratedFromGy, @CalibratedToGy) RETURNING id",
            new
            {
                curve.Assay,
                curve.Name,
                curve.Model,
                curve.C,
                curve.Alpha,
                curve.Beta,
                Covariance = JsonSerializer.Serialize(curve.Covariance, SqlCareStore.Json),
                curve.Source,
                curve.RadiationQuality,
                Counts = curve.Counts is null ? null : JsonSerializer.Serialize(curve.Counts, SqlCareStore.Json),
                Fit = curve.Fit is null ? null : JsonSerializer.Serialize(curve.Fit, SqlCareStore.Json),
                curve.CreatedBy,
                CreatedAt = JournalTime.ToText(curve.CreatedAt),
                curve.CalibratedFromGy,
                curve.CalibratedToGy,
            }, ct);

    public async Task<LabCurve?> GetCurveAsync(long id, CancellationToken ct) =>
        (await session.SingleOrDefaultAsync<Row>($"SELECT {Columns} FROM lab_curves WHERE id = @id", new { id }, ct))?.ToCurve();

    public async Task<IReadOnlyList<LabCurve>> ListCurvesAsync(string? assay, CancellationToken ct) =>
        [.. (await session.QueryAsync<Row>(
            assay is null
                ? $"SELECT {Columns} FROM lab_curves ORDER BY assay, created_at DESC, id DESC"
                : $"SELECT {Columns} FROM lab_curves WHERE assay = @assay ORDER BY created_at DESC, id DESC",
            new { assay }, ct)).Select(r => r.ToCurve())];

    public async Task<LabCurve?> GetActiveCurveAsync(string assay, CancellationToken ct) =>
        (await session.SingleOrDefaultAsync<Row>($"SELECT {Columns} FROM lab_curves WHERE assay = @assay AND active = 1", new { assay }, ct))?.ToCurve();

    public async Task<bool> ActivateCurveAsync(long id, string assay, long? expectedVersion, CancellationToken ct)
    {
        // Clear first, then set: the partial unique index (one active per assay) is checked per row.
        await session.ExecuteAsync("UPDATE lab_curves SET active = 0, version = version + 1 WHERE assay = @assay AND active = 1 AND id <> @id",
            new { assay, id }, ct);
        return await session.ExecuteAsync(
            expectedVersion is null
                ? "UPDATE lab_curves SET active = 1, version = version + 1 WHERE id = @id AND assay = @assay"
                : "UPDATE lab_curves SET active = 1, version = version + 1 WHERE id = @id AND assay = @assay AND version = @expectedVersion",
            new { id, assay, expectedVersion }, ct) == 1;
    }

    public async Task<bool> RecordActivationAsync(long id, long signatureId, string activatedBy, DateTimeOffset activatedAt, CancellationToken ct) =>
        await session.ExecuteAsync(
            "UPDATE lab_curves SET activation_signature_id = @signatureId, activated_by = @activatedBy, activated_at = @at WHERE id = @id",
            new { id, signatureId, activatedBy, at = JournalTime.ToText(activatedAt) }, ct) == 1;

    private sealed class Row
    {
        public long Id { get; set; }

        public string Assay { get; set; } = "";

        public string Name { get; set; } = "";

        public string Model { get; set; } = "";

        public double C { get; set; }

        public double Alpha { get; set; }

        public double Beta { get; set; }

        public string Covariance { get; set; } = "";

        public string Source { get; set; } = "";

        public string? RadiationQuality { get; set; }

        public string? Counts { get; set; }

        public string? Fit { get; set; }

        public string CreatedBy { get; set; } = "";

        public string CreatedAt { get; set; } = "";

        public long Active { get; set; }

        public long Version { get; set; }

        public double? CalibratedFromGy { get; set; }

        public double? CalibratedToGy { get; set; }

        public long? ActivationSignatureId { get; set; }

        public string? ActivatedBy { get; set; }

        public string? ActivatedAt { get; set; }

        public LabCurve ToCurve()
        {
            var counts = Counts is null ? null : JsonSerializer.Deserialize<List<LabCountRow>>(Counts, SqlCareStore.Json);

            // Curves fitted before migration 0009 have no recorded range: their count table gives it.
            return new(Id, Assay, Name, Model, C, Alpha, Beta,
                JsonSerializer.Deserialize<double[][]>(Covariance, SqlCareStore.Json)!, Source, RadiationQuality,
                counts,
                Fit is null ? null : JsonSerializer.Deserialize<LabFitSummary>(Fit, SqlCareStore.Json),
                CreatedBy, JournalTime.Parse(CreatedAt), Active != 0, Version)
            {
                CalibratedFromGy = CalibratedFromGy ?? (counts is { Count: > 0 } c0 ? c0.Min(r => r.DoseGy) : null),
                CalibratedToGy = CalibratedToGy ?? (counts is { Count: > 0 } c1 ? c1.Max(r => r.DoseGy) : null),
                ActivationSignatureId = ActivationSignatureId,
                ActivatedBy = ActivatedBy,
                ActivatedAt = ActivatedAt is null ? null : JournalTime.Parse(ActivatedAt),
            };
        }
    }
}
