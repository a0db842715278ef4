using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;
using RadRegen.Cli.Infrastructure;
using RadRegen.Storage;

namespace RadRegen.Cli;

/// <summary>
/// <c>radregen --version</c>: RadRegen's version, the bundled SQLite library's, and the schema
/// version this build migrates a database to. A support call starts with these three: a database
/// this build cannot read (newer schema) and an SQLite bug are told apart at once.
/// </summary>
internal static class VersionReport
{
    /// <summary>Replaces System.CommandLine's own <c>--version</c> output (RadRegen's version alone) with this report.</summary>
    public static void Install(RootCommand root)
    {
        var option = root.Options.OfType<VersionOption>().Single();
        option.Action = new Print();
    }

    public static IReadOnlyList<string> Lines()
    {
        var assembly = typeof(VersionReport).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString() ?? "unknown";
        var sqlite = Migrator.LatestVersion(Engine.Sqlite);
        var postgres = Migrator.LatestVersion(Engine.Postgres);
        // The two engines' migrations are numbered alike; should they ever differ, say so rather than pick one.
        var schema = sqlite == postgres ? $"{sqlite}" : $"{sqlite} (SQLite), {postgres} (PostgreSQL)";
        return
        [
            $"RadRegen {version}",
            $"SQLite {Database.SqliteVersion()}",
            $"schema {schema}",
        ];
    }

    private sealed class Print : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var output = parseResult.InvocationConfiguration.Output;
            foreach (var line in Lines())
            {
                output.WriteLine(line);
            }

            return ExitCodes.Ok;
        }
    }
}
