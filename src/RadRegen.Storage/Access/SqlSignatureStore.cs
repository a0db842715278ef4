using RadRegen.Core.Access;
using RadRegen.Core.Journal;

namespace RadRegen.Storage.Access;

internal sealed class SqlSignatureStore(SqlSession session) : ISignatureStore
{
    public Task<long> InsertAsync(ElectronicSignature signature, CancellationToken ct) =>
        session.InsertReturningIdAsync(
            "INSERT INTO signatures (user_id, user_name, display_name, meaning, record_type, record_id, record_hash, signed_at, journal_seq) "
            + "VALUES (@UserId, @UserName, @DisplayName, @Meaning, @RecordType, @RecordId, @RecordHash, @SignedAt, @JournalSequence) RETURNING id",
            new
            {
                signature.UserId,
                signature.UserName,
                signature.DisplayName,
                signature.Meaning,
                signature.RecordType,
                signature.RecordId,
                signature.RecordHash,
                SignedAt = JournalTime.ToText(signature.SignedAt),
                signature.JournalSequence,
            }, ct);

    public async Task<IReadOnlyList<ElectronicSignature>> ListForRecordAsync(string recordType, string recordId, CancellationToken ct) =>
        [.. (await session.QueryAsync<Row>(
            "SELECT id AS Id, user_id AS UserId, user_name AS UserName, display_name AS DisplayName, meaning AS Meaning, "
            + "record_type AS RecordType, record_id AS RecordId, record_hash AS RecordHash, signed_at AS SignedAt, journal_seq AS JournalSequence "
            + "FROM signatures WHERE record_type = @recordType AND record_id = @recordId ORDER BY id",
            new { recordType, recordId }, ct)).Select(r => r.ToSignature())];

    private sealed class Row
    {
        public long Id { get; set; }

        public long UserId { get; set; }

        public string UserName { get; set; } = "";

        public string DisplayName { get; set; } = "";

        public string Meaning { get; set; } = "";

        public string RecordType { get; set; } = "";

        public string RecordId { get; set; } = "";

        public string RecordHash { get; set; } = "";

        public string SignedAt { get; set; } = "";

        public long JournalSequence { get; set; }

        public ElectronicSignature ToSignature() => new(Id, UserId, UserName, DisplayName, Meaning, RecordType, RecordId, RecordHash,
            JournalTime.Parse(SignedAt), JournalSequence);
    }
}
