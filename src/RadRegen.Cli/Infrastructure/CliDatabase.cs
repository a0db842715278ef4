using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Core.Access;
using RadRegen.Hosting;
using RadRegen.Hosting.Configuration;
using RadRegen.Storage;

namespace RadRegen.Cli.Infrastructure;

/// <summary>What a command does with its database.</summary>
internal enum DatabaseUse
{
    /// <summary>Only reads: the database must exist, at the current schema; nothing is created or migrated.</summary>
    Read,

    /// <summary>Writes: the database is created when missing and migrated.</summary>
    Write,
}

/// <summary>Reads a command's settings and opens the database it names, migrated, with the same services the server uses.</summary>
internal static class CliDatabase
{
    public const string EnvironmentVariable = "RADREGEN_DATABASE";

    /// <summary>
    /// The effective settings: RadRegen's configuration sources (<see cref="RadRegenConfiguration"/>)
    /// with this command line's <c>--config</c>, <c>--setting</c> and <c>--database</c> on top.
    /// </summary>
    public static RadRegenSettings Settings(ParseResult parse, Option<string?>? database, bool demo = false,
        IEnumerable<KeyValuePair<string, string?>>? options = null)
    {
        ArgumentNullException.ThrowIfNull(parse);

        // Read here, once, so that an error names the option the person typed.
        var target = database is not null && parse.GetValue(database) is { } value ? DatabaseTarget.Parse(value, "--database") : null;
        return RadRegenConfiguration.Read(Configuration(parse, options), demo, target);
    }

    /// <summary>
    /// The center's assessment choices alone (<c>Care:Assessment:*</c>), for the commands that assess
    /// without a database (<c>ars grade</c>, <c>dose clinical</c>): they read the same setting the server does.
    /// </summary>
    public static RadRegen.Care.Assessment.AssessmentOptions Assessment(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return RadRegenConfiguration.ReadAssessment(Configuration(parse));
    }

    /// <param name="options">A command's own options that stand for settings (<c>serve --network</c>), above <c>--setting</c>.</param>
    private static Microsoft.Extensions.Configuration.IConfiguration Configuration(ParseResult parse, IEnumerable<KeyValuePair<string, string?>>? options = null)
    {
        var overrides = new List<KeyValuePair<string, string?>>();
        foreach (var setting in parse.GetValue<string[]>(GlobalOptions.SettingName) ?? [])
        {
            var equals = setting.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new CliInputException($"--setting: '{setting}' is not KEY=VALUE (e.g. --setting Center:FacilityCode=A1234)");
            }

            overrides.Add(new(setting[..equals].Trim(), setting[(equals + 1)..].Trim()));
        }

        overrides.AddRange(options ?? []);
        return RadRegenConfiguration.Build(parse.GetValue<string?>(GlobalOptions.ConfigName), overrides);
    }

    public static DatabaseTarget Target(ParseResult parse, Option<string?> option) => Settings(parse, option).Database;

    /// <summary>Opens the database for a command that writes: created when missing, migrated.</summary>
    public static Task<ServiceProvider> OpenAsync(ParseResult parse, Option<string?> option, CancellationToken ct) =>
        OpenAsync(parse, option, DatabaseUse.Write, ct);

    /// <summary>
    /// Opens the database. A command that only reads (<see cref="DatabaseUse.Read"/>) never creates
    /// one — a missing SQLite file is "database file not found: PATH", exit 1 — and never migrates:
    /// a database that lacks a migration is refused, unchanged.
    /// </summary>
    public static async Task<ServiceProvider> OpenAsync(ParseResult parse, Option<string?> option, DatabaseUse use, CancellationToken ct)
    {
        var settings = Settings(parse, option);
        if (use == DatabaseUse.Read)
        {
            if (settings.Database.SqliteFile is { } file && !File.Exists(file))
            {
                throw new CliInputException($"database file not found: {file}");
            }

            settings = settings with { Database = settings.Database.Existing() };
        }
        else
        {
            // Here, not while reading settings, so that a read command never creates a folder; the error names the option.
            settings.Database.PrepareForWrite(parse.GetValue(option) is null ? "Database" : "--database");
        }

        var services = new ServiceCollection().AddRadRegen(settings).BuildServiceProvider();
        try
        {
            var migrator = services.GetRequiredService<Migrator>();
            if (use == DatabaseUse.Read)
            {
                await migrator.RequireCurrentAsync(ct);
            }
            else
            {
                await migrator.MigrateAsync(ct);
            }
        }
        catch
        {
            await services.DisposeAsync();
            throw;
        }

        return services;
    }

    /// <summary>The person at the server's command line acts as the local operator (see <see cref="Actor.LocalOperator(string)"/>).</summary>
    public static Actor Operator => Actor.LocalOperator(Environment.UserName);

    /// <summary>
    /// The local operator running a command that does one role's work: the administrator makes no
    /// GMP record and reads no patient (ADR 0026), so <c>bank import</c> acts as a technician and
    /// <c>care import</c> as a coordinator. Whoever runs the command on the server can already open
    /// the database file; the role names whose work the command is, and the table still bounds it.
    /// </summary>
    public static Actor OperatorAs(Role role) => Actor.LocalOperator(Environment.UserName, role);

    /// <summary>The local operator doing the bank's work (<c>bank import</c>, <c>bank expire</c>).</summary>
    public static Actor Technician => OperatorAs(Role.CpcTechnician);

    /// <summary>The local operator doing an incident coordinator's work (<c>care …</c>, <c>drill</c>).</summary>
    public static Actor Coordinator => OperatorAs(Role.Coordinator);
}
