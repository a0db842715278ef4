using System.Globalization;
using Microsoft.Extensions.Configuration;
using RadRegen.Bank.Identity;
using RadRegen.Care.Allocation;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Storage;

namespace RadRegen.Hosting.Configuration;

/// <summary>A setting with a value RadRegen cannot run with. The message names the setting.</summary>
public sealed class ConfigurationException(string setting, string problem)
    : Exception($"setting {setting}: {problem}")
{
    /// <summary>The setting's key, e.g. <c>Center:FacilityCode</c>.</summary>
    public string Setting { get; } = setting;
}

/// <summary>
/// RadRegen's one configuration system: the .NET configuration sources, later ones winning —
/// <c>appsettings.json</c> beside the program, an optional file named by <c>--config</c>,
/// environment variables (<c>DOTNET_</c>/<c>ASPNETCORE_</c> for the environment name, then
/// <c>RADREGEN_</c> with <c>__</c> for <c>:</c>, e.g. <c>RADREGEN_CENTER__FACILITYCODE</c>), and
/// command-line options (<c>--database</c>, <c>--setting KEY=VALUE</c>) — read into a validated
/// <see cref="RadRegenSettings"/>. The table of settings is in the README.
/// </summary>
public static class RadRegenConfiguration
{
    /// <summary>Builds the configuration from its sources; <paramref name="overrides"/> are the command line's, highest first.</summary>
    public static IConfiguration Build(string? configFile = null, IEnumerable<KeyValuePair<string, string?>>? overrides = null)
    {
        var builder = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true, reloadOnChange: false);
        if (configFile is not null)
        {
            var full = Path.GetFullPath(configFile);
            if (!File.Exists(full))
            {
                throw new ConfigurationException("--config", $"no file '{full}'");
            }

            builder.AddJsonFile(full, optional: false, reloadOnChange: false);
        }

        builder.AddEnvironmentVariables("DOTNET_")
            .AddEnvironmentVariables("ASPNETCORE_")
            .AddEnvironmentVariables("RADREGEN_");
        if (overrides is not null)
        {
            builder.AddInMemoryCollection(overrides);
        }

        try
        {
            return builder.Build();
        }
        catch (InvalidDataException ex)
        {
            throw new ConfigurationException(configFile ?? "appsettings.json", ex.Message);
        }
        catch (FormatException ex)
        {
            throw new ConfigurationException(configFile ?? "appsettings.json", ex.Message);
        }
    }

    /// <summary>
    /// Reads and validates every setting. <paramref name="demo"/> (<c>serve --demo</c>) lets the
    /// demo data's facility code stand in for a missing one; nothing else does. A
    /// <paramref name="database"/> already read from a command-line option (whose errors name the
    /// option) wins over the <c>Database</c> setting, which is then not read at all.
    /// </summary>
    public static RadRegenSettings Read(IConfiguration configuration, bool demo = false, DatabaseTarget? database = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        try
        {
            database ??= DatabaseTarget.Parse(configuration["Database"], "Database");
        }
        catch (DomainValidationException ex)
        {
            throw new ConfigurationException("Database", string.Join("; ", ex.Errors.Select(e => e.Message)));
        }

        var defaults = RadRegenSettings.ForDemo(database);
        var fin = Text(configuration, "Center:FacilityCode");
        if (fin is not null)
        {
            try
            {
                fin = Din.ValidateFacility(fin.ToUpperInvariant());
            }
            catch (DomainValidationException ex)
            {
                throw new ConfigurationException("Center:FacilityCode", string.Join("; ", ex.Errors.Select(e => e.Message)));
            }
        }
        else if (demo)
        {
            fin = CenterSettings.DemoFacilityCode;
        }

        var name = Text(configuration, "Center:Name") ?? (demo ? CenterSettings.Demo.Name : "");
        var center = new CenterSettings(name, fin, TimeZone(configuration, "Center:TimeZone"));

        var access = new AccessPolicy(
            Integer(configuration, "Access:MaxFailedLogins", AccessPolicy.Default.MaxFailedLogins, 1, 100),
            TimeSpan.FromMinutes(Integer(configuration, "Access:LockoutMinutes", (int)AccessPolicy.Default.LockoutDuration.TotalMinutes, 1, 24 * 60)),
            Integer(configuration, "Access:MinPasswordLength", AccessPolicy.Default.MinPasswordLength, 8, 128));

        var web = new WebSettings(
            Text(configuration, "Urls") ?? WebSettings.DefaultUrls,
            TimeSpan.FromMinutes(Integer(configuration, "Access:SessionIdleMinutes", (int)WebSettings.Default.SessionIdleTimeout.TotalMinutes, 1, 24 * 60)),
            Integer(configuration, "Access:LoginAttemptsPerMinute", WebSettings.Default.LoginAttemptsPerMinute, 1, 10_000));

        var p = PriorityPolicy.Default;
        var priority = new PriorityPolicy(
            Number(configuration, "Care:Priority:RcWeight", p.RcWeight),
            Number(configuration, "Care:Priority:RedBonus", p.RedBonus),
            Number(configuration, "Care:Priority:YellowBonus", p.YellowBonus),
            Number(configuration, "Care:Priority:CombinedInjuryBonus", p.CombinedInjuryBonus),
            Number(configuration, "Care:Priority:ChildBonus", p.ChildBonus),
            Text(configuration, "Care:Priority:HaematopoieticProduct") ?? p.HaematopoieticProduct,
            Number(configuration, "Care:Priority:PlateletsPerTransfusion", p.PlateletsPerTransfusion, positive: true),
            Number(configuration, "Care:Priority:PlateletsPerVial", p.PlateletsPerVial, positive: true),
            Text(configuration, "Care:Priority:CutaneousProduct") ?? p.CutaneousProduct,
            Integer(configuration, "Care:Priority:CutaneousVials", p.CutaneousVials, 1, 1000));

        return defaults with
        {
            Journal = JournalPaths(configuration, database),
            Environment = Text(configuration, "Environment") ?? "Production",
            Center = center,
            Access = access,
            Web = web,
            Priority = priority,
        };
    }

    /// <summary>
    /// The server's own rule: outside Development it does not start without the center's facility
    /// code, since every DIN it issued would otherwise carry someone else's.
    /// </summary>
    public static void RequireCenterForServing(RadRegenSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Center.FacilityCode is null && !settings.IsDevelopment)
        {
            throw new ConfigurationException("Center:FacilityCode",
                "required to serve outside Development: the center's ISBT 128 facility identification number (one letter and four characters, "
                + "assigned by ICCBBA), e.g. RADREGEN_CENTER__FACILITYCODE=... or --setting Center:FacilityCode=...; 'serve --demo' uses the demo code "
                + CenterSettings.DemoFacilityCode);
        }
    }

    /// <summary>The effective settings as text, one per key, with secrets (database passwords) masked.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Describe(RadRegenSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var c = CultureInfo.InvariantCulture;
        var p = settings.Priority;
        // Each key beside its value, in the order `config show` prints them, so the two cannot drift apart.
        return
        [
            new("Environment", settings.Environment),
            new("Database", MaskedDatabase(settings.Database)),
            new("Urls", settings.Web.Urls),
            new("Center:Name", settings.Center.Name),
            new("Center:FacilityCode", settings.Center.FacilityCode ?? "(not set: no DIN can be issued)"),
            new("Center:TimeZone", settings.Center.TimeZone.Id),
            new("Access:MaxFailedLogins", settings.Access.MaxFailedLogins.ToString(c)),
            new("Access:LockoutMinutes", settings.Access.LockoutDuration.TotalMinutes.ToString(c)),
            new("Access:MinPasswordLength", settings.Access.MinPasswordLength.ToString(c)),
            new("Access:SessionIdleMinutes", settings.Web.SessionIdleTimeout.TotalMinutes.ToString(c)),
            new("Access:LoginAttemptsPerMinute", settings.Web.LoginAttemptsPerMinute.ToString(c)),
            new("Journal:CheckpointLog", settings.Journal.CheckpointLog ?? "(not set: the journal is not anchored outside the database)"),
            new("Journal:SigningKey", settings.Journal.SigningKey ?? "(not set)"),
            new("Care:Priority:RcWeight", p.RcWeight.ToString(c)),
            new("Care:Priority:RedBonus", p.RedBonus.ToString(c)),
            new("Care:Priority:YellowBonus", p.YellowBonus.ToString(c)),
            new("Care:Priority:CombinedInjuryBonus", p.CombinedInjuryBonus.ToString(c)),
            new("Care:Priority:ChildBonus", p.ChildBonus.ToString(c)),
            new("Care:Priority:HaematopoieticProduct", p.HaematopoieticProduct),
            new("Care:Priority:PlateletsPerTransfusion", p.PlateletsPerTransfusion.ToString(c)),
            new("Care:Priority:PlateletsPerVial", p.PlateletsPerVial.ToString(c)),
            new("Care:Priority:CutaneousProduct", p.CutaneousProduct),
            new("Care:Priority:CutaneousVials", p.CutaneousVials.ToString(c)),
        ];
    }

    private static JournalSettings JournalPaths(IConfiguration configuration, DatabaseTarget database)
    {
        var log = FilePath(configuration, "Journal:CheckpointLog");
        var key = FilePath(configuration, "Journal:SigningKey");
        if (log is not null && key is not null && string.Equals(log, key, StringComparison.Ordinal))
        {
            throw new ConfigurationException("Journal:SigningKey", "must not be the same file as Journal:CheckpointLog");
        }

        return JournalSettings.Default(database, log, key);
    }

    private static string? FilePath(IConfiguration configuration, string key)
    {
        var text = Text(configuration, key);
        if (text is null)
        {
            return null;
        }

        string full;
        try
        {
            full = Path.GetFullPath(text);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new ConfigurationException(key, $"'{text}' is not a usable file path: {ex.Message}");
        }

        if (Directory.Exists(full))
        {
            throw new ConfigurationException(key, $"'{full}' is a directory; give the path of a file");
        }

        return full;
    }

    private static string MaskedDatabase(DatabaseTarget target)
    {
        if (target.Engine == Engine.Sqlite)
        {
            return target.Description;
        }

        var builder = new Npgsql.NpgsqlConnectionStringBuilder(target.ConnectionString);
        if (!string.IsNullOrEmpty(builder.Password))
        {
            builder.Password = "********";
        }

        return builder.ConnectionString;
    }

    private static string? Text(IConfiguration configuration, string key) =>
        configuration[key] is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static int Integer(IConfiguration configuration, string key, int fallback, int min, int max)
    {
        var text = Text(configuration, key);
        if (text is null)
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new ConfigurationException(key, $"'{text}' is not a whole number from {min} to {max}");
        }

        return value;
    }

    private static double Number(IConfiguration configuration, string key, double fallback, bool positive = false)
    {
        var text = Text(configuration, key);
        if (text is null)
        {
            return fallback;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value)
            || value < 0 || (positive && value == 0))
        {
            throw new ConfigurationException(key, $"'{text}' is not a {(positive ? "positive" : "non-negative")} number");
        }

        return value;
    }

    private static TimeZoneInfo TimeZone(IConfiguration configuration, string key)
    {
        var id = Text(configuration, key);
        if (id is null || id == "UTC")
        {
            return TimeZoneInfo.Utc;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new ConfigurationException(key, $"'{id}' is not a time zone known to this machine (use an IANA name such as Asia/Tokyo)");
        }
    }
}
