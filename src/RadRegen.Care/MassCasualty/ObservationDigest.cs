using System.Security.Cryptography;
using System.Text;
using RadRegen.Care.Records;
using RadRegen.Core.Journal;

namespace RadRegen.Care.MassCasualty;

/// <summary>
/// What the journal records of an imported victim's observations (ADR 0027): their number and the
/// SHA-256 of the rows as stored, instead of repeating every value. Each observation contributes one
/// line <c>kind TAB observedAt TAB data NL</c> (UTF-8), in the order the rows were written (the file's
/// order; <c>care_observations.id</c> ascending), where <c>observedAt</c> is the stored time text
/// (<see cref="JournalTime"/>) and <c>data</c> the stored JSON (<see cref="CareJson"/>). An auditor
/// recomputes it from the patient's <c>care_observations</c> rows (or from the file, parsed as the
/// import parses it) and compares it with the <c>patient registered</c> entry, which the chain protects.
/// </summary>
public static class ObservationDigest
{
    /// <summary>The lowercase hex SHA-256 of <paramref name="rows"/> (kind name, stored time text, stored JSON), in order.</summary>
    public static string Of(IEnumerable<(string Kind, string ObservedAt, string DataJson)> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1024];
        foreach (var (kind, observedAt, data) in rows)
        {
            var line = string.Concat(kind, "\t", observedAt, "\t", data, "\n");
            var needed = Encoding.UTF8.GetMaxByteCount(line.Length);
            if (needed > buffer.Length)
            {
                buffer = new byte[needed];
            }

            sha256.AppendData(buffer, 0, Encoding.UTF8.GetBytes(line, buffer));
        }

        return Convert.ToHexStringLower(sha256.GetHashAndReset());
    }

    /// <summary>The digest of observations about to be stored with <paramref name="dataUtf8"/> as their stored JSON (UTF-8).</summary>
    /// <remarks>
    /// The same bytes as <see cref="Of(IEnumerable{ValueTuple{string, string, string}})"/>, written
    /// part by part into one reused buffer: an import digests about nine observations per victim, and
    /// the per-line strings were about 5 KB per victim (docs/performance.md, imports2).
    /// </remarks>
    public static string Of(IReadOnlyList<Observation> observations, IReadOnlyList<ReadOnlyMemory<byte>> dataUtf8)
    {
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        return Of(observations, dataUtf8, sha256);
    }

    /// <summary>
    /// As <see cref="Of(IReadOnlyList{Observation}, IReadOnlyList{ReadOnlyMemory{byte}})"/> with a
    /// reusable SHA-256 <paramref name="sha256"/> (left reset): creating a hash costs more than hashing
    /// a victim's observations (an OpenSSL context each, docs/performance.md, imports3), so an import
    /// keeps one per assessing thread. The lines go into one pooled buffer and are hashed in one call.
    /// </summary>
    public static string Of(IReadOnlyList<Observation> observations, IReadOnlyList<ReadOnlyMemory<byte>> dataUtf8, IncrementalHash sha256)
    {
        ArgumentNullException.ThrowIfNull(observations);
        ArgumentNullException.ThrowIfNull(dataUtf8);
        ArgumentNullException.ThrowIfNull(sha256);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            var n = 0;
            for (var i = 0; i < observations.Count; i++)
            {
                var o = observations[i];
                var kind = o.Kind.Name();
                var data = dataUtf8[i].Span;
                var needed = n + Encoding.UTF8.GetMaxByteCount(kind.Length) + JournalTime.Length + data.Length + 3;
                if (needed > buffer.Length)
                {
                    var larger = System.Buffers.ArrayPool<byte>.Shared.Rent(Math.Max(needed, 2 * buffer.Length));
                    buffer.AsSpan(0, n).CopyTo(larger);
                    System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                n += Encoding.UTF8.GetBytes(kind, buffer.AsSpan(n));
                buffer[n++] = (byte)'\t';
                JournalTime.WriteUtf8(o.ObservedAt, buffer.AsSpan(n)); // JournalTime.ToText without the string
                n += JournalTime.Length;
                buffer[n++] = (byte)'\t';
                data.CopyTo(buffer.AsSpan(n));
                n += data.Length;
                buffer[n++] = (byte)'\n';
            }

            sha256.AppendData(buffer, 0, n);
            Span<byte> digest = stackalloc byte[32];
            sha256.GetHashAndReset(digest);
            return Convert.ToHexStringLower(digest);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
