namespace RadRegen.Cli.Infrastructure;

/// <summary>
/// Bad input to a command: a missing file, a malformed row, a value out of range. The message is
/// shown to the person as it is, so it names the file, row and field. Exit code 1.
/// </summary>
public sealed class CliInputException : Exception
{
    public CliInputException(string message) : base(message) { }

    public CliInputException(string message, Exception inner) : base(message, inner) { }

    public CliInputException() { }
}
