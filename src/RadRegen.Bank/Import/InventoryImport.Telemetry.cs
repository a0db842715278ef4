using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Core.Diagnostics;

namespace RadRegen.Bank.Import;

/// <summary>The import's public entry point: the import itself, traced, measured and logged.</summary>
public sealed partial class InventoryImport
{
    /// <summary>The <c>radregen.import.kind</c> of this import.</summary>
    public const string Kind = "bank-inventory";

    private readonly ILogger _log = logger ?? (ILogger)NullLogger.Instance;

    /// <summary>
    /// Validates the whole file and, when every row is valid, writes it in one unit of work (see
    /// the class). A span <c>import bank-inventory</c> carries the counts written; the rows are
    /// counted in <c>radregen.import.rows</c> and the time in <c>radregen.import.duration</c>.
    /// </summary>
    public async Task<ImportReport> ImportAsync(Actor actor, TextReader csv, string source, CancellationToken ct = default)
    {
        using var activity = RadRegenDiagnostics.Source.StartActivity("import " + Kind);
        activity?.SetTag(RadRegenDiagnostics.Tags.ImportKind, Kind);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var report = await ImportRowsAsync(actor, csv, source, ct);
            var elapsed = Stopwatch.GetElapsedTime(started);
            activity?.SetTag(RadRegenDiagnostics.Tags.Rows, report.Rows);
            activity?.SetTag("radregen.import.donors", report.Donors);
            activity?.SetTag("radregen.import.lots", report.Lots);
            activity?.SetTag("radregen.import.vials", report.Vials);
            RadRegenDiagnostics.ImportedRows.Add(report.Rows, new KeyValuePair<string, object?>(RadRegenDiagnostics.Tags.ImportKind, Kind));
            RadRegenDiagnostics.ImportDuration.Record(elapsed.TotalSeconds,
                new KeyValuePair<string, object?>(RadRegenDiagnostics.Tags.ImportKind, Kind), RadRegenDiagnostics.Outcome(null));
            Imported(_log, source, actor.UserName, report.Rows, report.Donors, report.Lines, report.Lots, report.Vials, elapsed.TotalMilliseconds);
            return report;
        }
        catch (Exception ex)
        {
            RadRegenDiagnostics.Failed(activity, ex);
            RadRegenDiagnostics.ImportDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>(RadRegenDiagnostics.Tags.ImportKind, Kind), RadRegenDiagnostics.Outcome(ex));
            if (ex is DomainValidationException invalid)
            {
                // The errors themselves go back to the person importing; the log keeps how many.
                Refused(_log, source, actor?.UserName, invalid.Errors.Count);
            }

            throw;
        }
    }

    [LoggerMessage(LogLevel.Information,
        "Bank inventory imported from {Source} by {UserName}: {Rows} rows, {Donors} donors, {Lines} lines, {Lots} lots, {Vials} vials in {ElapsedMs:F0} ms")]
    private static partial void Imported(ILogger logger, string source, string userName, int rows, int donors, int lines, int lots, int vials, double elapsedMs);

    [LoggerMessage(LogLevel.Information, "Bank inventory import from {Source} by {UserName} refused: {Errors} errors, nothing written")]
    private static partial void Refused(ILogger logger, string source, string? userName, int errors);
}
