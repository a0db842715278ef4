using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace RadRegen.Core.Journal;

/// <summary>
/// One signed statement "the journal's entry <paramref name="Sequence"/> had hash <paramref name="Head"/>
/// at <paramref name="Time"/>", one JSON line of the checkpoint log kept outside the database (ADR 0019).
/// Because each entry's hash covers every entry before it, one checkpoint anchors the whole journal up
/// to its sequence: a cut tail, a deleted journal or a history rewritten with the chain recomputed no
/// longer matches it, and nobody without the signing key can write a checkpoint that would.
/// </summary>
/// <param name="Sequence">The journal entry anchored.</param>
/// <param name="Head">That entry's hash.</param>
/// <param name="Time">When the checkpoint was signed, in <see cref="JournalTime"/>'s text form.</param>
/// <param name="Previous">SHA-256 (hex) of the log's line before this one, exactly as stored; 64 zeros for the first line.
/// A line removed from or inserted into the middle of the log breaks this chain.</param>
/// <param name="Key">The fingerprint of the public key that verifies <paramref name="Signature"/> (<see cref="CheckpointKey.Fingerprint"/>).</param>
/// <param name="Signature">ECDSA P-256 with SHA-256 over the UTF-8 bytes of <see cref="SignedForm()"/>, IEEE P1363 (r‖s), base64.</param>
public sealed record JournalCheckpoint(long Sequence, string Head, string Time, string Previous, string Key, string Signature)
{
    /// <summary>The format tag, the first element of the signed form and the <c>format</c> member of each line.</summary>
    public const string FormatTag = "radregen-checkpoint/1";

    /// <summary>The <see cref="Previous"/> of the first line.</summary>
    public static readonly string GenesisPrevious = new('0', 64);

    // Base64 signatures keep their '+' as written (the default encoder would write \u002B).
    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The exact text signed: a JSON array <c>["radregen-checkpoint/1", sequence, head, time, previous, key]</c>
    /// with no white space, so a witness can rebuild it in any language from the line's members.
    /// </summary>
    public string SignedForm() => SignedForm(Sequence, Head, Time, Previous, Key);

    public static string SignedForm(long sequence, string head, string time, string previous, string key)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Compact))
        {
            writer.WriteStartArray();
            writer.WriteStringValue(FormatTag);
            writer.WriteNumberValue(sequence);
            writer.WriteStringValue(head);
            writer.WriteStringValue(time);
            writer.WriteStringValue(previous);
            writer.WriteStringValue(key);
            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The line as stored in the log (one JSON object, no new-line).</summary>
    public string ToLine()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Compact))
        {
            writer.WriteStartObject();
            writer.WriteString("format", FormatTag);
            writer.WriteNumber("sequence", Sequence);
            writer.WriteString("head", Head);
            writer.WriteString("time", Time);
            writer.WriteString("previous", Previous);
            writer.WriteString("key", Key);
            writer.WriteString("signature", Signature);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Reads one line of the log; a <see cref="FormatException"/> says what is wrong with it.</summary>
    public static JournalCheckpoint Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("not a JSON object");
            }

            if (Text(root, "format") != FormatTag)
            {
                throw new FormatException($"format is not {FormatTag}");
            }

            if (!root.TryGetProperty("sequence", out var seq) || seq.ValueKind != JsonValueKind.Number || !seq.TryGetInt64(out var sequence) || sequence < 1)
            {
                throw new FormatException("sequence is not a whole number of 1 or more");
            }

            return new JournalCheckpoint(sequence, Text(root, "head"), Text(root, "time"), Text(root, "previous"), Text(root, "key"), Text(root, "signature"));
        }
        catch (JsonException ex)
        {
            throw new FormatException($"not JSON: {ex.Message}", ex);
        }
    }

    /// <summary>SHA-256 (hex) of a stored line: the next line's <see cref="Previous"/>.</summary>
    public static string LineHash(string line) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(line)));

    private static string Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new FormatException($"{name} is missing or not text");
}

/// <summary>
/// The ECDSA P-256 key that signs checkpoints. The private key lives in a file outside the database
/// (PKCS#8 PEM); a witness verifies with the public key alone (SubjectPublicKeyInfo PEM).
/// </summary>
public sealed class CheckpointKey : IDisposable
{
    private readonly ECDsa _key;

    private CheckpointKey(ECDsa key, bool hasPrivateKey)
    {
        _key = key;
        HasPrivateKey = hasPrivateKey;
        var spki = key.ExportSubjectPublicKeyInfo();
        Fingerprint = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(spki));
    }

    /// <summary>"sha256:" and the SHA-256 of the public key's DER SubjectPublicKeyInfo, in hex.</summary>
    public string Fingerprint { get; }

    public bool HasPrivateKey { get; }

    /// <summary>A new P-256 key pair.</summary>
    public static CheckpointKey Create() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256), true);

    /// <summary>Reads a PEM private key (PKCS#8 or SEC1) or public key (SubjectPublicKeyInfo).</summary>
    public static CheckpointKey FromPem(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            if (key.KeySize != 256)
            {
                throw new FormatException($"the key is {key.KeySize} bits; checkpoints are signed with ECDSA P-256");
            }

            var hasPrivate = pem.Contains("PRIVATE KEY-----", StringComparison.Ordinal);
            return new CheckpointKey(key, hasPrivate);
        }
        catch (ArgumentException ex)
        {
            key.Dispose();
            throw new FormatException("not a PEM ECDSA key: " + ex.Message, ex);
        }
        catch (CryptographicException ex)
        {
            key.Dispose();
            throw new FormatException("not a usable ECDSA key: " + ex.Message, ex);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    public string PrivateKeyPem() => _key.ExportPkcs8PrivateKeyPem();

    public string PublicKeyPem() => _key.ExportSubjectPublicKeyInfoPem();

    /// <summary>Signs the checkpoint of entry <paramref name="sequence"/> that follows the log line <paramref name="previousLine"/> (null for the first).</summary>
    public JournalCheckpoint Sign(long sequence, string head, DateTimeOffset time, string? previousLine)
    {
        ArgumentNullException.ThrowIfNull(head);
        var previous = previousLine is null ? JournalCheckpoint.GenesisPrevious : JournalCheckpoint.LineHash(previousLine);
        var timeText = JournalTime.ToText(time);
        var signed = JournalCheckpoint.SignedForm(sequence, head, timeText, previous, Fingerprint);
        var signature = _key.SignData(Encoding.UTF8.GetBytes(signed), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return new JournalCheckpoint(sequence, head, timeText, previous, Fingerprint, Convert.ToBase64String(signature));
    }

    public bool Verifies(JournalCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(checkpoint.Signature);
        }
        catch (FormatException)
        {
            return false;
        }

        return _key.VerifyData(Encoding.UTF8.GetBytes(checkpoint.SignedForm()), signature, HashAlgorithmName.SHA256,
            DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    public void Dispose() => _key.Dispose();
}
