namespace RadRegen.Cli.Tests;

/// <summary>Runs <c>radregen</c> in-process and captures what it prints.</summary>
internal static class CliRunner
{
    public static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await RadRegenCli.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }
}
