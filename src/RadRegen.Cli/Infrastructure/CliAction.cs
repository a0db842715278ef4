using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using RadRegen.Core;

namespace RadRegen.Cli.Infrastructure;

/// <summary>
/// Runs a command's body and turns the exceptions of bad input into exit code 1 with a message on
/// standard error, so that no command prints half a result dressed as a whole one.
/// </summary>
internal static class CliAction
{
    /// <summary>
    /// Options for <c>--json</c> output: camelCase, indented, enums as strings, and no escaping of
    /// characters such as '+' (GL Strings are full of it; this output is never embedded in HTML).
    /// </summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static void Set(Command command, Func<ParseResult, CancellationToken, Task<int>> body) =>
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                return await body(parse, ct);
            }
            catch (CliInputException ex)
            {
                return Fail(parse, ex.Message);
            }
            catch (DomainValidationException ex)
            {
                return Fail(parse, ex.Message);
            }
            catch (RadRegen.Hosting.Configuration.ConfigurationException ex)
            {
                return Fail(parse, ex.Message);
            }
            catch (RadRegen.Hla.HlaInputException ex)
            {
                // The scientific libraries' own bad-input errors: their messages already name
                // the file, row and field.
                return Fail(parse, ex.Message);
            }
            catch (RadRegen.Dosimetry.DosimetryInputException ex)
            {
                return Fail(parse, ex.Message);
            }
            catch (Exception ex) when (ex is NotFoundException or ConflictException or ForbiddenException or RuleViolationException)
            {
                return Fail(parse, ex.Message);
            }
            catch (System.Data.Common.DbException ex)
            {
                return Fail(parse, $"database: {ex.Message}");
            }
            catch (FileNotFoundException ex)
            {
                return Fail(parse, $"file not found: {ex.FileName ?? ex.Message}");
            }
            catch (DirectoryNotFoundException ex)
            {
                return Fail(parse, ex.Message);
            }
            catch (UnauthorizedAccessException ex)
            {
                return Fail(parse, ex.Message);
            }
        });

    public static void Set(Command command, Func<ParseResult, int> body) =>
        Set(command, (parse, _) => Task.FromResult(body(parse)));

    public static void WriteJson<T>(ParseResult parse, T value) =>
        parse.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(value, Json));

    private static int Fail(ParseResult parse, string message)
    {
        parse.InvocationConfiguration.Error.WriteLine($"error: {message}");
        return ExitCodes.BadInput;
    }
}
