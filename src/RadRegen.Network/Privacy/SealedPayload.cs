using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using RadRegen.Network.Events;

namespace RadRegen.Network.Privacy;

/// <summary>
/// A payload sealed to one center and signed by its sender (ADR 0029), with .NET's own crypto:
/// an ephemeral ECDH P-256 key agreed with the addressee's agreement key, HKDF-SHA-256 to an
/// AES-256-GCM key (RFC 5869; NIST SP 800-56C rev. 2 two-step derivation), AES-GCM with a random
/// 96-bit nonce (NIST SP 800-38D §8.2.2: one key per message, so a random nonce cannot repeat under
/// it) over the payload, the envelope's header as associated data; then an ECDSA P-256 / SHA-256
/// signature by the sender over the header, the ephemeral key, nonce, ciphertext and tag. So only
/// the addressee reads it, and it knows the sender: a changed header, ciphertext or signature, or a
/// record sealed by any other center than the envelope's source, fails to open.
/// </summary>
public sealed record SealedPayload(
    string Sealed,
    string To,
    string EphemeralKey,
    string Nonce,
    string Ciphertext,
    string Tag,
    string Signature)
{
    /// <summary>The format of this build (the <c>sealed</c> field; the HKDF info and the signed text begin with it).</summary>
    public const string Format = "radregen-seal/1";

    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private const int KeyBytes = 32;

    /// <summary>Whether <paramref name="payloadJson"/> is a sealed payload (an object whose <c>sealed</c> field is text).</summary>
    public static bool IsSealed(string? payloadJson)
    {
        if (string.IsNullOrEmpty(payloadJson))
        {
            return false;
        }

        try
        {
            using var doc = JsonDocument.Parse(payloadJson);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("sealed", out var s) && s.ValueKind == JsonValueKind.String;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Seals <paramref name="header"/>'s payload to <paramref name="to"/>; returns the sealed payload's JSON.</summary>
    public static string Seal(NetworkEnvelope header, string to, CenterPublicKeys addressee, CenterKeys sender)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(addressee);
        ArgumentNullException.ThrowIfNull(sender);
        using var ephemeral = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        using var recipient = addressee.ImportAgreement();
        var ephemeralKey = Convert.ToBase64String(ephemeral.ExportSubjectPublicKeyInfo());
        var key = DeriveKey(ephemeral.DeriveRawSecretAgreement(recipient.PublicKey), ephemeralKey, addressee.Agreement);
        var associated = AssociatedData(header, to, ephemeralKey);
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var plain = Encoding.UTF8.GetBytes(header.PayloadJson);
        var cipher = new byte[plain.Length];
        var tag = new byte[TagBytes];
        using (var gcm = new AesGcm(key, TagBytes))
        {
            gcm.Encrypt(nonce, plain, cipher, tag, associated);
        }

        CryptographicOperations.ZeroMemory(key);
        var signature = sender.Signing.SignData(Signed(associated, nonce, cipher, tag), HashAlgorithmName.SHA256);
        return JsonSerializer.Serialize(new SealedPayload(Format, to, ephemeralKey, Convert.ToBase64String(nonce), Convert.ToBase64String(cipher),
            Convert.ToBase64String(tag), Convert.ToBase64String(signature)), NetworkJson.Options);
    }

    /// <summary>
    /// Opens a sealed envelope addressed to the holder of <paramref name="recipient"/>, sent by the
    /// holder of <paramref name="sender"/>; returns the payload. Throws <see cref="SealException"/>
    /// with the reason when it is not sealed to <paramref name="self"/>, the signature is not the
    /// sender's, or anything of header or ciphertext was changed.
    /// </summary>
    public static string Open(NetworkEnvelope envelope, string self, CenterKeys recipient, CenterPublicKeys sender)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(recipient);
        ArgumentNullException.ThrowIfNull(sender);
        SealedPayload? p;
        try
        {
            p = JsonSerializer.Deserialize<SealedPayload>(envelope.PayloadJson, NetworkJson.Options);
        }
        catch (JsonException ex)
        {
            throw new SealException("the sealed payload is not readable: " + ex.Message);
        }

        if (p is null || p.Sealed != Format)
        {
            throw new SealException($"the payload is sealed in format '{p?.Sealed}', not {Format}");
        }

        if (!string.Equals(p.To, self, StringComparison.Ordinal))
        {
            throw new SealException($"the payload is sealed to {p.To}, not to this center {self}");
        }

        byte[] nonce, cipher, tag, signature;
        try
        {
            nonce = Convert.FromBase64String(p.Nonce ?? "");
            cipher = Convert.FromBase64String(p.Ciphertext ?? "");
            tag = Convert.FromBase64String(p.Tag ?? "");
            signature = Convert.FromBase64String(p.Signature ?? "");
        }
        catch (FormatException)
        {
            throw new SealException("the sealed payload's nonce, ciphertext, tag or signature is not base64");
        }

        if (nonce.Length != NonceBytes || tag.Length != TagBytes)
        {
            throw new SealException(string.Create(CultureInfo.InvariantCulture, $"the nonce is {nonce.Length} bytes and the tag {tag.Length} (AES-GCM here takes {NonceBytes} and {TagBytes})"));
        }

        var associated = AssociatedData(envelope, p.To, p.EphemeralKey ?? "");
        using (var signing = sender.ImportSigning())
        {
            if (!signing.VerifyData(Signed(associated, nonce, cipher, tag), signature, HashAlgorithmName.SHA256))
            {
                throw new SealException($"the signature is not {envelope.SourceCenter}'s (its profile's signing key {sender.Fingerprint()}), or the sealed record or its header was changed");
            }
        }

        byte[] key;
        try
        {
            using var ephemeral = ECDiffieHellman.Create();
            ephemeral.ImportSubjectPublicKeyInfo(Convert.FromBase64String(p.EphemeralKey ?? ""), out _);
            key = DeriveKey(recipient.Agreement.DeriveRawSecretAgreement(ephemeral.PublicKey), p.EphemeralKey!, recipient.Public.Agreement);
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            throw new SealException("the ephemeral key is not a P-256 public key: " + ex.Message);
        }

        var plain = new byte[cipher.Length];
        try
        {
            using var gcm = new AesGcm(key, TagBytes);
            gcm.Decrypt(nonce, cipher, tag, plain, associated);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new SealException("the ciphertext does not decrypt with this center's key (sealed to another key of this center, or changed)");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }

        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>
    /// The envelope's header (everything but the payload) as compact JSON, with the addressee and the
    /// ephemeral key: the associated data of AES-GCM, so a record moved to another event, entity,
    /// version or center does not open.
    /// </summary>
    private static byte[] AssociatedData(NetworkEnvelope h, string to, string ephemeralKey) =>
        JsonSerializer.SerializeToUtf8Bytes(new object[]
        {
            Format, h.EventId.ToString("D"), h.SchemaVersion, h.SourceCenter, h.Kind, h.EntityKey, h.EntityVersion, h.OccurredAt.UtcTicks, to, ephemeralKey,
        });

    private static byte[] Signed(byte[] associated, byte[] nonce, byte[] cipher, byte[] tag)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[4];
        foreach (var part in (byte[][])[associated, nonce, cipher, tag])
        {
            // Each part with its length (big-endian, the same on every machine), so no two different splits sign the same bytes.
            BinaryPrimitives.WriteInt32BigEndian(length, part.Length);
            hash.AppendData(length);
            hash.AppendData(part);
        }

        return hash.GetHashAndReset();
    }

    /// <summary>HKDF-SHA-256 (RFC 5869) of the ECDH secret, salted with both public keys of the agreement.</summary>
    private static byte[] DeriveKey(byte[] secret, string ephemeralKey, string recipientKey)
    {
        try
        {
            return HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, KeyBytes,
                salt: Encoding.ASCII.GetBytes(ephemeralKey + "|" + recipientKey), info: Encoding.ASCII.GetBytes(Format + " AES-256-GCM"));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }
}

/// <summary>A sealed payload that does not open; the message says why (the inbox parks the event with it).</summary>
public sealed class SealException(string message) : Exception(message);

/// <summary>
/// Which events go to one center only (ADR 0029, generalised by ADR 0032's amendment): an event whose
/// entity key is <c>to/{CODE}/{the entity's own key}</c> (<see cref="To"/>; a module addresses a copy of
/// its event to each center allowed to read it, e.g. a restricted hub request), and a patient-transfer
/// record (<c>transfer-record/{CODE}/{id}</c>, ADR 0025), the one event that identifies a patient. The
/// engine seals such an event to its addressee and publishes it on the addressee's own subject; the
/// inbox opens it, and refuses one that comes unsealed.
/// </summary>
public static class Addressing
{
    /// <summary>The general prefix: <c>to/{CODE}/…</c>.</summary>
    public const string ToPrefix = "to/";

    /// <summary>The entity keys of addressed events begin so, followed by the addressee's code and '/'.</summary>
    public static readonly IReadOnlyList<string> Prefixes = [ToPrefix, "transfer-record/"];

    /// <summary>
    /// The entity key of <paramref name="entityKey"/>'s copy addressed to <paramref name="center"/>. Each
    /// addressee's copy is an entity of its own for versioning (the receiver sees only its copy).
    /// </summary>
    public static string To(string center, string entityKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(center);
        ArgumentException.ThrowIfNullOrEmpty(entityKey);
        if (center.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"a center code has no '/': {center}", nameof(center));
        }

        return $"{ToPrefix}{center}/{entityKey}";
    }

    /// <summary>The addressee of an event, or null when every center may read it.</summary>
    public static string? AddresseeOf(string? entityKey)
    {
        if (entityKey is null)
        {
            return null;
        }

        foreach (var prefix in Prefixes)
        {
            if (entityKey.StartsWith(prefix, StringComparison.Ordinal))
            {
                var rest = entityKey.AsSpan(prefix.Length);
                var slash = rest.IndexOf('/');
                // A malformed key is still addressed (to no one): never published in clear.
                return slash > 0 ? rest[..slash].ToString() : "";
            }
        }

        return null;
    }
}
