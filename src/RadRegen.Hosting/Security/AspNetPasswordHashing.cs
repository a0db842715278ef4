using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using RadRegen.Core.Access;

namespace RadRegen.Hosting.Security;

/// <summary>Passwords hashed with ASP.NET Core Identity's PasswordHasher (PBKDF2-HMAC-SHA512, 100,000 iterations in v3 format).</summary>
public sealed class AspNetPasswordHashing : IPasswordHashing
{
    private readonly PasswordHasher<object> _hasher;
    private static readonly object User = new();

    /// <summary>The product's hashing: the framework's default work factor (100,000 iterations).</summary>
    public AspNetPasswordHashing() => _hasher = new PasswordHasher<object>();

    /// <summary>
    /// The same format and checks with another iteration count. Only the tests use this (with a
    /// small count: what they test is who may sign in and sign, not the work factor); the product
    /// registers the parameterless constructor. A hash made with fewer iterations than the hasher
    /// that checks it is reported <see cref="PasswordCheck.SuccessRehashNeeded"/>.
    /// </summary>
    public AspNetPasswordHashing(int iterationCount) =>
        _hasher = new PasswordHasher<object>(Options.Create(new PasswordHasherOptions { IterationCount = iterationCount }));

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
