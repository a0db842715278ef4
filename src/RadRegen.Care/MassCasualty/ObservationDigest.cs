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
    public static string Of(IReadOnlyList<Observation> observations, IReadOnlyList<string> dataJson)
    {
        ArgumentNullException.ThrowIfNull(observations);
        ArgumentNullException.ThrowIfNull(dataJson);
        return Of(observations.Select((o, i) => (o.Kind.Name(), JournalTime.ToText(o.ObservedAt), dataJson[i])));
    }
}
