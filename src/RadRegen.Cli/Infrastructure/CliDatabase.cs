using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Core.Access;
using RadRegen.Storage;
using RadRegen.Web.Infrastructure;

namespace RadRegen.Cli.Infrastructure;

/// <summary>Opens the database a command names, migrated, with the same services the server uses.</summary>
internal static class CliDatabase
{
    public const string EnvironmentVariable = "RADREGEN_DATABASE";

    public static DatabaseTarget Target(ParseResult parse, Option<string?> option) =>
        DatabaseTarget.Parse(parse.GetValue(option) ?? Environment.GetEnvironmentVariable(EnvironmentVariable), "--database");

    public static async Task<ServiceProvider> OpenAsync(ParseResult parse, Option<string?> option, CancellationToken ct)
    {
        var target = Target(parse, option);
        var services = new ServiceCollection().AddRadRegen(target).BuildServiceProvider();
        try
        {
            await services.GetRequiredService<Migrator>().MigrateAsync(ct);
        }
        catch
        {
            await services.DisposeAsync();
            throw;
        }

        return services;
    }

    /// <summary>The person at the server's command line acts as the local operator (see <see cref="Actor.LocalOperator"/>).</summary>
    public static Actor Operator => Actor.LocalOperator(Environment.UserName);
}
