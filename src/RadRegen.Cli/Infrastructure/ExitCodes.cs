namespace RadRegen.Cli.Infrastructure;

/// <summary>The process exit codes every <c>radregen</c> command uses (see docs/cli.md).</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Bad input: the message names the file, row and field.</summary>
    public const int BadInput = 1;

    /// <summary>The command line itself is wrong (unknown option, missing argument).</summary>
    public const int Usage = 2;

    /// <summary>An integrity check failed (for example a broken journal chain).</summary>
    public const int IntegrityFailure = 3;
}
