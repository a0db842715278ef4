using Microsoft.AspNetCore.Identity;
using RadRegen.Core.Access;

namespace RadRegen.Hosting.Security;

/// <summary>Passwords hashed with ASP.NET Core Identity's PasswordHasher (PBKDF2-HMAC-SHA512, 100,000 iterations in v3 format).</summary>
public sealed class AspNetPasswordHashing : IPasswordHashing
{
    private readonly PasswordHasher<object> _hasher = new();
    private static readonly object User = new();

    public string Hash(string password) => _hasher.HashPassword(User, password);

    public PasswordCheck Verify(string hash, string password)
    {
        PasswordVerificationResult result;
        try
        {
            result = _hasher.VerifyHashedPassword(User, hash, password);
        }
        catch (FormatException)
        {
            return PasswordCheck.Failed;
        }

        return result switch
        {
            PasswordVerificationResult.Success => PasswordCheck.Success,
            PasswordVerificationResult.SuccessRehashNeeded => PasswordCheck.SuccessRehashNeeded,
            _ => PasswordCheck.Failed,
        };
    }
}
