using System.Globalization;
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

    /// <summary>The digest of observations about to be stored with <paramref name="dataJson"/> as their stored JSON.</summary>
    /// <remarks>
    /// The same bytes as <see cref="Of(IEnumerable{ValueTuple{string, string, string}})"/>, encoded
    /// part by part into one reused buffer: an import digests about nine observations per victim, and
    /// the per-line strings were about 5 KB per victim (docs/performance.md, imports2).
    /// </remarks>
    public static string Of(IReadOnlyList<Observation> observations, IReadOnlyList<string> dataJson)
    {
        ArgumentNullException.ThrowIfNull(observations);
        ArgumentNullException.ThrowIfNull(dataJson);
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1024);
        try
        {
            Span<char> time = stackalloc char[JournalTime.Format.Length];
            for (var i = 0; i < observations.Count; i++)
            {
                var o = observations[i];
                var kind = o.Kind.Name();
                var data = dataJson[i];
                var needed = Encoding.UTF8.GetMaxByteCount(kind.Length + time.Length + data.Length + 3);
                if (needed > buffer.Length)
                {
                    System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                    buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(needed);
                }

                // JournalTime.ToText without the string: the same format, culture and UTC conversion.
                if (!o.ObservedAt.UtcDateTime.TryFormat(time, out var timeLength, JournalTime.Format, CultureInfo.InvariantCulture))
                {
                    throw new InvalidOperationException("a journal time did not fit its fixed width");
                }

                var n = Encoding.UTF8.GetBytes(kind, buffer);
                buffer[n++] = (byte)'\t';
                n += Encoding.UTF8.GetBytes(time[..timeLength], buffer.AsSpan(n));
                buffer[n++] = (byte)'\t';
                n += Encoding.UTF8.GetBytes(data, buffer.AsSpan(n));
                buffer[n++] = (byte)'\n';
                sha256.AppendData(buffer, 0, n);
            }

            return Convert.ToHexStringLower(sha256.GetHashAndReset());
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
