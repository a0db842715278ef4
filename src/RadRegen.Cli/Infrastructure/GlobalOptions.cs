using System.CommandLine;

namespace RadRegen.Cli.Infrastructure;

/// <summary>The options every command takes: where the configuration comes from.</summary>
internal static class GlobalOptions
{
    public const string ConfigName = "--config";
    public const string SettingName = "--setting";

    public static Option<string?> Config() => new(ConfigName)
    {
        Description = "A JSON settings file, read after appsettings.json and before environment variables.",
        Recursive = true,
    };

    public static Option<string[]> Setting() => new(SettingName)
    {
        Description = "One setting as KEY=VALUE (e.g. Center:FacilityCode=A1234); repeatable; wins over every other source.",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
    };
}
