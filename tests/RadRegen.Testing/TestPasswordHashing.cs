using Microsoft.Extensions.DependencyInjection;
using RadRegen.Core.Access;
using RadRegen.Hosting.Security;

namespace RadRegen.Testing;

/// <summary>
/// The product's password hashing (same format, same checks) with one PBKDF2 iteration instead of
/// 100,000, for the services the tests build (<see cref="TestServices"/>, <c>TestServer</c>). At the
/// product's work factor each hash or check cost about 50 ms of CPU here, and the tests make
/// thousands (every user a world or server creates, every sign-in and e-signature): the whole suite
/// paid minutes for a cost none of its tests is about. The product's default is unchanged
/// (<c>AddRadRegen</c> registers <see cref="AspNetPasswordHashing()"/>).
/// </summary>
public static class TestPasswordHashing
{
    /// <summary>The iteration count of the tests' hashing.</summary>
    public const int Iterations = 1;

    /// <summary>Replaces the registered <see cref="IPasswordHashing"/> with the tests' cheap one (the last registration wins).</summary>
    public static IServiceCollection AddTestPasswordHashing(this IServiceCollection services) =>
        services.AddSingleton<IPasswordHashing>(new AspNetPasswordHashing(Iterations));
}
