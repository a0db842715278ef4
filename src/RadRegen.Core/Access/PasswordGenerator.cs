using System.Security.Cryptography;

namespace RadRegen.Core.Access;

/// <summary>Generated passwords, for new accounts and resets whose password the operator did not choose.</summary>
public static class PasswordGenerator
{
    // No look-alikes (0/O, 1/l/I), so a password read off a terminal is typed right the first time.
    private const string Alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /// <summary>18 characters from a 56-symbol alphabet: about 104 bits of entropy.</summary>
    public static string Generate() => RandomNumberGenerator.GetString(Alphabet, 18);
}
