using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using RadRegen.Cli.Infrastructure;
using RadRegen.Web;

namespace RadRegen.Cli;

/// <summary><c>radregen serve</c>: the web host.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Where to listen (loopback by default).",
            DefaultValueFactory = _ => RadRegenHostOptions.DefaultUrls,
        };
        var database = CommonOptions.Database();
        var demo = new Option<bool>("--demo") { Description = "Seed one demo user per role (passwords printed once) and the demo data." };
        var serve = new Command("serve", "Run the RadRegen server. Creates and migrates the database on first start.") { urls, database, demo };
        CliAction.Set(serve, async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var target = CliDatabase.Target(parse, database);
            var options = new RadRegenHostOptions(target, parse.GetValue(urls)!);
            await using var app = RadRegenHost.Build(options);
            var report = await RadRegenHost.PrepareAsync(app.Services, parse.GetValue(demo), ct);
            output.WriteLine($"RadRegen on {target.Description}");
            if (report is not null)
            {
                if (report.Created.Count > 0)
                {
                    output.WriteLine("Demo users (passwords shown once; reset with 'radregen users reset-password USER'):");
                    TextTable.Write(output, ["user", "role", "password"], report.Created.Select(c => (IReadOnlyList<string>)[c.UserName, c.Role, c.Password]));
                }

                if (report.AlreadyPresent.Count > 0)
                {
                    output.WriteLine($"Demo users already present (passwords unchanged): {string.Join(", ", report.AlreadyPresent)}");
                }
            }

            await app.StartAsync(ct);
            output.WriteLine($"Listening on {string.Join(", ", app.Urls)}; press Ctrl+C to stop.");
            await app.WaitForShutdownAsync(ct);
            return ExitCodes.Ok;
        });
        return serve;
    }
}
