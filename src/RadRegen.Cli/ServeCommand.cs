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
        var network = new Option<string?>("--network")
        {
            Description = "Join a network of centers: its NATS server with JetStream, nats://HOST:PORT (setting Network:Url; docs/network.md). Without it the center runs alone.",
        };
        var center = new Option<string?>("--center")
        {
            Description = "This center's code in the network: its ISBT 128 facility code (setting Network:Center; must equal Center:FacilityCode when that is set).",
        };
        var serve = new Command("serve", "Run the RadRegen server. Creates and migrates the database on first start.") { urls, database, demo, network, center };
        CliAction.Set(serve, async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var withDemo = parse.GetValue(demo);
            var joining = new List<KeyValuePair<string, string?>>();
            if (parse.GetValue(network) is { } url)
            {
                joining.Add(new("Network:Url", url));
            }

            if (parse.GetValue(center) is { } code)
            {
                joining.Add(new("Network:Center", code));
            }

            var settings = CliDatabase.Settings(parse, database, withDemo, joining);
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

            output.WriteLine(settings.Network is { } joined
                ? $"Network {joined.Name} on {joined.Url.ToString().TrimEnd('/')} as center {joined.Center} (docs/network.md)"
                : "No network configured: this center runs alone; its network events wait in its outbox until it joins one (docs/network.md)");
            await app.StartAsync(ct);
            output.WriteLine($"Listening on {string.Join(", ", app.Urls)}; press Ctrl+C to stop.");
            await app.WaitForShutdownAsync(ct);
            return ExitCodes.Ok;
        });
        return serve;
    }
}
