using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using RadRegen.Core.Journal;

namespace RadRegen.Core.Access;

/// <summary>What is being signed: the record, and the meaning the signer gives the signature.</summary>
/// <param name="RecordType">The kind of record (<c>lot</c>, <c>administration</c>).</param>
/// <param name="RecordId">Its id.</param>
/// <param name="Meaning">What the signature means, stated by the signer (21 CFR 11.50(a)(3)): "released", "administered".</param>
/// <param name="Content">The record's content at signing; its canonical JSON's SHA-256 binds the signature to it.</param>
public sealed record SignatureIntent(string RecordType, string RecordId, string Meaning, object Content);

/// <summary>
/// Electronic signatures. The signer re-enters the password (21 CFR 11.200(a)(1)); the signature
/// names the signer, the time and the meaning (11.50) and is bound to the record by the hash of
/// its content (11.70). It is written inside the caller's unit of work, so that the signed change
/// and its signature commit together or not at all.
/// A wrong password counts towards the same throttle as sign-in (<see cref="CredentialThrottle"/>,
/// per account and per source) and is journaled with the signer, what was being signed, the source
/// and the time — never the password (11.300(d): attempts at unauthorized use are detected and
/// reported). The refusal's entry is written by <see cref="AttemptJournal"/> once the caller's
/// unit of work has rolled back.
/// </summary>
public sealed class SignatureService(IPasswordHashing hashing, IClock clock, CredentialThrottle throttle, IAttemptSource source,
    AttemptJournal attempts)
{
    public async Task<ElectronicSignature> SignAsync(IUnitOfWork uow, Actor signer, SignatureIntent intent, string password,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(uow);
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(intent);
        var meaning = intent.Meaning?.Trim() ?? "";
        if (meaning.Length is 0 || meaning.Length > Limits.ShortName.MaxLength)
        {
            throw new DomainValidationException("meaning", $"state what the signature means (1 to {Limits.ShortName.MaxLength} characters)");
        }

        if (string.IsNullOrEmpty(password))
        {
            throw new DomainValidationException("password", "re-enter your password to sign");
        }

        var account = await uow.Store<IUserStore>().FindByIdAsync(signer.UserId, ct);
        if (account is null || account.Disabled)
        {
            throw new ForbiddenException($"{signer.UserName} cannot sign: the account is not active");
        }

        var from = source.Current;
        if (throttle.BlockedUntil(account.UserName, from) is { } blocked)
        {
            // Refused unheard: the password is not even checked, so a blocked source learns nothing. Still an attempt: journaled.
            attempts.Append(account.UserName, new JournalRecord("signature", $"{intent.RecordType}/{intent.RecordId}", "signature-refused",
                new
                {
                    signer = account.UserName,
                    meaning,
                    recordType = intent.RecordType,
                    recordId = intent.RecordId,
                    source = from,
                    at = JournalTime.ToText(clock.UtcNow),
                    reason = "throttled",
                    until = JournalTime.ToText(blocked),
                }));
            throw new TooManyAttemptsException(blocked, clock.UtcNow);
        }

        if (hashing.Verify(account.PasswordHash, password) == PasswordCheck.Failed)
        {
            var failed = throttle.RecordFailure(account.UserName, from);
            attempts.Append(account.UserName, new JournalRecord("signature", $"{intent.RecordType}/{intent.RecordId}", "signature-failed",
                new
                {
                    signer = account.UserName,
                    meaning,
                    recordType = intent.RecordType,
                    recordId = intent.RecordId,
                    source = from,
                    at = JournalTime.ToText(clock.UtcNow),
                    reason = "wrong password",
                    failures = failed.SourceFailures,
                    throttledUntil = failed.BlockedUntil is { } until ? JournalTime.ToText(until) : null,
                }));
            if (failed.BlockedUntil is { } retry)
            {
                Diagnostics.RadRegenDiagnostics.LockOuts.Add(1);
                throw new TooManyAttemptsException(retry, clock.UtcNow);
            }

            throw new ForbiddenException("signature refused: the password does not match");
        }

        throttle.RecordSuccess(account.UserName, from);

        var recordHash = ContentHash(intent.Content);
        var entry = await uow.Journal.AppendAsync(account.UserName, new JournalRecord("signature",
            $"{intent.RecordType}/{intent.RecordId}", "signed",
            new
            {
                signer = account.UserName,
                signerName = account.DisplayName,
                meaning,
                recordType = intent.RecordType,
                recordId = intent.RecordId,
                recordHash,
            }), ct);
        var signature = new ElectronicSignature(0, account.Id, account.UserName, account.DisplayName, meaning,
            intent.RecordType, intent.RecordId, recordHash, JournalTime.Parse(entry.Time), entry.Sequence);
        var id = await uow.Store<ISignatureStore>().InsertAsync(signature, ct);
        return signature with { Id = id };
    }

    /// <summary>True when <paramref name="currentContent"/> is still what <paramref name="signature"/> signed.</summary>
    public static bool IsBoundTo(ElectronicSignature signature, object currentContent)
    {
        ArgumentNullException.ThrowIfNull(signature);
        return string.Equals(signature.RecordHash, ContentHash(currentContent), StringComparison.Ordinal);
    }

    /// <summary>SHA-256 of the canonical JSON of a record's content, lower-case hex.</summary>
    public static string ContentHash(object content) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalJson.Serialize(content))));

    /// <summary>The signature manifestation for display and print (11.50(b)).</summary>
    public static string Manifestation(ElectronicSignature s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return string.Create(CultureInfo.InvariantCulture,
            $"{s.DisplayName} ({s.UserName}) — {s.Meaning} — {JournalTime.ToText(s.SignedAt)}");
    }
}
