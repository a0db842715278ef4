using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Cli.Infrastructure;
using RadRegen.Core.Access;
using RadRegen.Training.Courses;

namespace RadRegen.Cli.Training;

/// <summary><c>radregen training …</c>: the education program's records for automation (docs/training.md). Read only.</summary>
internal static class TrainingCommands
{
    /// <summary>
    /// Acts as the local operator with the auditor's read-only role: the permission table keeps the
    /// administrator (what <see cref="CliDatabase.Operator"/> is) out of training records (ADR 0034),
    /// and these commands change nothing.
    /// </summary>
    public static Actor Reader => CliDatabase.OperatorAs(Role.Auditor);

    public static Command Create()
    {
        var training = new Command("training", "The education program (docs/training.md): who is current in what.");
        training.Add(Current());
        return training;
    }

    private static Command Current()
    {
        var asOf = new Option<string?>("--as-of") { Description = "The day (yyyy-mm-dd; default today, UTC)." };
        var within = new Option<int?>("--expiring-within") { Description = $"Days before expiry counted as expiring (default {CourseService.DefaultExpiringWithinDays})." };
        var db = CommonOptions.Database();
        var json = CommonOptions.Json();
        var command = new Command("current",
            "Who is current in what: every active account against every course — current, expiring, expired, revoked or never. Reads the database; never creates or migrates one.")
        { asOf, within, db, json };
        CliAction.Set(command, async (parse, ct) =>
        {
            DateOnly? day = null;
            if (parse.GetValue(asOf) is { } text)
            {
                day = DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                    ? d : throw new CliInputException($"--as-of: '{text}' is not a date (yyyy-mm-dd)");
            }

            await using var services = await CliDatabase.OpenAsync(parse, db, DatabaseUse.Read, ct);
            var m = await services.GetRequiredService<CourseService>().MatrixAsync(Reader, day, parse.GetValue(within), ct);
            if (parse.GetValue(json))
            {
                CliAction.WriteJson(parse, new
                {
                    asOf = m.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    expiringWithinDays = m.ExpiringWithinDays,
                    courses = m.CourseCodes,
                    staff = m.Staff.Select(s => new
                    {
                        staff = s.Staff,
                        displayName = s.DisplayName,
                        courses = s.Courses.Select(c => new
                        {
                            course = c.CourseCode,
                            currency = c.Currency.Name(),
                            expiresOn = c.Certificate?.ExpiresOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                        }),
                    }),
                });
            }
            else
            {
                TextTable.Write(parse.InvocationConfiguration.Output, ["staff", .. m.CourseCodes],
                    m.Staff.Select(s => (IReadOnlyList<string>)[s.Staff, .. s.Courses.Select(c => c.Currency.Name())]));
                parse.InvocationConfiguration.Output.WriteLine($"{m.Staff.Count} member(s) of staff on {m.AsOf:yyyy-MM-dd}; expiring = within {m.ExpiringWithinDays} days");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
