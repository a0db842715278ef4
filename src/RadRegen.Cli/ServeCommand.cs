using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using RadRegen.Cli.Infrastructure;
using RadRegen.Hosting;
using RadRegen.Hosting.Configuration;
using RadRegen.Web;

namespace RadRegen.Cli;

/// <summary><c>radregen serve</c>: the web host.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string?>("--urls")
        {
            Description = $"Where to listen (setting Urls; default {WebSettings.DefaultUrls}, loopback only).",
        };
        var database = CommonOptions.Database();
        var demo = new Option<bool>("--demo") { Description = "Seed one demo user per role (passwords printed once) and the demo data; without a configured facility code, the demo code " + CenterSettings.DemoFacilityCode + " is used." };
        var serve = new Command("serve", "Run the RadRegen server. Creates and migrates the database on first start.") { urls, database, demo };
        CliAction.Set(serve, async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var withDemo = parse.GetValue(demo);
            var settings = CliDatabase.Settings(parse, database, withDemo);
            if (parse.GetValue(urls) is { } listen)
            {
                settings = settings with { Web = settings.Web with { Urls = listen } };
            }

            RadRegenConfiguration.RequireCenterForServing(settings);
            await using var app = RadRegenHost.Build(new RadRegenHostOptions(settings));
            var report = await RadRegenSetup.PrepareAsync(app.Services, withDemo, ct);
            output.WriteLine($"RadRegen on {settings.Database.Description}, center {(settings.Center.Name.Length > 0 ? settings.Center.Name : "(unnamed)")} ({settings.Center.FacilityCode ?? "no facility code"})");
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
