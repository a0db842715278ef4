using System.CommandLine;
using RadRegen.Cli.Infrastructure;
using RadRegen.Hosting.Configuration;

namespace RadRegen.Cli.Admin;

/// <summary><c>radregen config show</c>: the effective settings, as the server would read them, without secrets.</summary>
internal static class ConfigCommand
{
    public static Command Create()
    {
        var database = CommonOptions.Database();
        var json = CommonOptions.Json();
        var show = new Command("show", "Print the effective settings (every source applied, validated; database passwords masked).") { database, json };
        CliAction.Set(show, parse =>
        {
            var settings = RadRegenConfiguration.Describe(CliDatabase.Settings(parse, database));
            if (parse.GetValue(json))
            {
                CliAction.WriteJson(parse, settings.ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal));
            }
            else
            {
                TextTable.Write(parse.InvocationConfiguration.Output, ["setting", "value"],
                    settings.Select(s => (IReadOnlyList<string>)[s.Key, s.Value]));
            }

            return ExitCodes.Ok;
        });
        return new Command("config", "RadRegen's settings (appsettings.json, RADREGEN_* environment variables, --config, --setting).") { show };
    }
}
