using System.Security.Cryptography;
using System.Text;

namespace RadRegen.Network.Privacy;

/// <summary>
/// A center's public keys as its <c>center.profile</c> tells them (ADR 0029): base64
/// SubjectPublicKeyInfo of two NIST P-256 keys — one for key agreement (records addressed to the
/// center are sealed to it), one for signatures (what the center seals is signed with it).
/// </summary>
/// <param name="Agreement">The ECDH P-256 public key (base64 SPKI).</param>
/// <param name="Signing">The ECDSA P-256 public key (base64 SPKI).</param>
public sealed record CenterPublicKeys(string Agreement, string Signing)
{
    /// <summary>Whether both keys are well-formed P-256 public keys; a profile with others is refused.</summary>
    public bool IsValid()
    {
        try
        {
            using var a = ImportAgreement();
            using var s = ImportSigning();
            return a.KeySize == 256 && s.KeySize == 256;
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The first 16 hex digits of the SHA-256 of both keys: what an operator compares by telephone.</summary>
    public string Fingerprint() =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(Agreement + "\n" + Signing)))[..16];

    internal ECDiffieHellman ImportAgreement()
    {
        var key = ECDiffieHellman.Create();
        key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(Agreement), out _);
        return key;
    }

    internal ECDsa ImportSigning()
    {
        var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(Signing), out _);
        return key;
    }
}

/// <summary>
/// A center's two private keys (ADR 0029): ECDH P-256 to open what is sealed to it, ECDSA P-256 to
/// sign what it seals. Two keys, not one used twice, so that neither use can be turned against the
/// other. Kept in a PEM file outside the database (<c>Network:KeyFile</c>), as the journal's
/// checkpoint key is (ADR 0019): two PKCS#8 <c>PRIVATE KEY</c> blocks, signing first.
/// </summary>
public sealed class CenterKeys : IDisposable
{
    private CenterKeys(ECDsa signing, ECDiffieHellman agreement)
    {
        Signing = signing;
        Agreement = agreement;
        Public = new CenterPublicKeys(
            Convert.ToBase64String(agreement.ExportSubjectPublicKeyInfo()),
            Convert.ToBase64String(signing.ExportSubjectPublicKeyInfo()));
    }

    internal ECDsa Signing { get; }

    internal ECDiffieHellman Agreement { get; }

    /// <summary>What the center's profile tells.</summary>
    public CenterPublicKeys Public { get; }

    /// <summary>A new pair of keys.</summary>
    public static CenterKeys Create() =>
        new(ECDsa.Create(ECCurve.NamedCurves.nistP256), ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>The key file's text: two PKCS#8 PEM blocks (signing, then agreement), each after a line saying which.</summary>
    public string ToPem() =>
        "RadRegen network keys of this center (ADR 0029). Keep private; back up apart from the database.\n"
        + "signing (ECDSA P-256):\n" + Signing.ExportPkcs8PrivateKeyPem() + "\n"
        + "agreement (ECDH P-256):\n" + Agreement.ExportPkcs8PrivateKeyPem() + "\n";

    /// <summary>Reads a key file's text; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static CenterKeys FromPem(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var blocks = new List<byte[]>();
        var rest = text.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            if (rest[fields.Label].SequenceEqual("PRIVATE KEY"))
            {
                blocks.Add(Convert.FromBase64String(rest[fields.Base64Data].ToString()));
            }

            rest = rest[fields.Location.End..];
        }

        if (blocks.Count != 2)
        {
            throw new FormatException($"the network key file holds {blocks.Count} PKCS#8 private keys, not 2 (signing, then agreement)");
        }

        ECDsa? signing = null;
        ECDiffieHellman? agreement = null;
        try
        {
            signing = ECDsa.Create();
            signing.ImportPkcs8PrivateKey(blocks[0], out _);
            agreement = ECDiffieHellman.Create();
            agreement.ImportPkcs8PrivateKey(blocks[1], out _);
            if (signing.KeySize != 256 || agreement.KeySize != 256)
            {
                throw new FormatException("the network keys are not P-256 keys");
            }

            return new CenterKeys(signing, agreement);
        }
        catch (CryptographicException ex)
        {
            signing?.Dispose();
            agreement?.Dispose();
            throw new FormatException("the network key file's keys are not EC private keys: " + ex.Message, ex);
        }
        catch (FormatException)
        {
            signing?.Dispose();
            agreement?.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Signing.Dispose();
        Agreement.Dispose();
    }
}

/// <summary>
/// This center's network keys, loaded once on first use (<c>Network:KeyFile</c>); none when the
/// center is in no network or no key file is configured: then it seals nothing and opens nothing,
/// and records addressed to it are parked until it has keys.
/// </summary>
public sealed class CenterKeyring(Func<CenterKeys>? load) : IDisposable
{
    private readonly Lazy<CenterKeys>? _keys = load is null ? null : new Lazy<CenterKeys>(load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>A center without keys.</summary>
    public static CenterKeyring None => new(null);

    /// <summary>The keys (loaded, or created with the file, on first use); null when none are configured.</summary>
    public CenterKeys? Keys => _keys?.Value;

    public void Dispose()
    {
        if (_keys is { IsValueCreated: true } k)
        {
            k.Value.Dispose();
        }
    }
}
