using System.CommandLine;

namespace RadRegen.Cli.Infrastructure;

/// <summary>Options that many commands share, created fresh for each command that takes them.</summary>
internal static class CommonOptions
{
    public static Option<bool> Json() => new("--json") { Description = "Machine-readable JSON output." };

    public static Option<string?> Database() => new("--database")
    {
        Description = "SQLite file path, or a PostgreSQL connection string (\"Host=...;Database=...\"). "
            + "Default: ./data/radregen.db, or RADREGEN_DATABASE when set.",
    };
}
