using Microsoft.Extensions.DependencyInjection;
using RadRegen.Core;
using RadRegen.Core.Access;

namespace RadRegen.Hosting.Demo;

/// <summary>A demo account created by <c>serve --demo</c>; the password is shown this once.</summary>
public sealed record DemoCredential(string UserName, string Role, string Password);

/// <summary>What the demo seeding did.</summary>
public sealed record DemoReport(IReadOnlyList<DemoCredential> Created, IReadOnlyList<string> AlreadyPresent);

/// <summary>
/// Seeds the demo: one user per role (random passwords, printed once at start) and, as the feature
/// modules arrive, their demo data. Idempotent: what exists is left as it is.
/// </summary>
public static class DemoSeeder
{
    public static string DemoUserName(Role role) => $"demo-{role.Name()}";

    public static async Task<DemoReport> SeedAsync(IServiceProvider services, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        var access = services.GetRequiredService<AccessService>();
        var seeder = Actor.LocalOperator("demo-seeder");
        var existing = (await access.ListUsersAsync(seeder, ct)).Select(u => u.UserName).ToHashSet(StringComparer.Ordinal);
        var created = new List<DemoCredential>();
        var present = new List<string>();
        foreach (var role in RoleNames.All)
        {
            var name = DemoUserName(role);
            if (existing.Contains(name))
            {
                present.Add(name);
                continue;
            }

            var password = PasswordGenerator.Generate();
            var display = $"Demo {role.Name().Replace('-', ' ')}";
            try
            {
                await access.AddUserAsync(seeder, name, display, new HashSet<Role> { role }, password, ct);
                created.Add(new DemoCredential(name, role.Name(), password));
            }
            catch (ConflictException)
            {
                present.Add(name); // another instance seeded it a moment ago
            }
        }

        return new DemoReport(created, present);
    }
}
