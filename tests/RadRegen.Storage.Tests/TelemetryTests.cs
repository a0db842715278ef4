using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Core;
using RadRegen.Core.Diagnostics;
using RadRegen.Testing;

namespace RadRegen.Storage.Tests;

/// <summary>Every unit of work is traced and measured where it begins and ends (SqlUnitOfWorkFactory).</summary>
public class TelemetryTests
{
    [Fact]
    public async Task A_unit_of_work_emits_begin_and_commit_spans_and_is_counted_by_outcome()
    {
        await using var db = await TestDatabases.CreateAsync("sqlite");
        await using var services = await TestServices.CreateAsync(db);
        var units = services.GetRequiredService<IUnitOfWorkFactory>();

        var stopped = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == RadRegenDiagnostics.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (stopped) { stopped.Add(activity); } },
        };
        ActivitySource.AddActivityListener(listener);

        var outcomes = new List<(string Instrument, string? Outcome, string? Mode)>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == RadRegenDiagnostics.Name)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        void Record(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? outcome = null, mode = null;
            foreach (var tag in tags)
            {
                outcome = tag.Key == RadRegenDiagnostics.Tags.Outcome ? tag.Value as string : outcome;
                mode = tag.Key == RadRegenDiagnostics.Tags.WorkMode ? tag.Value as string : mode;
            }

            lock (outcomes) { outcomes.Add((instrument.Name, outcome, mode)); }
        }

        meters.SetMeasurementEventCallback<long>((instrument, _, tags, _) => Record(instrument, tags));
        meters.SetMeasurementEventCallback<double>((instrument, _, tags, _) => Record(instrument, tags));
        meters.Start();

        // Other tests run in parallel on the same (static) source: this test's spans are the
        // children of its own root.
        using (var root = new Activity("test").SetIdFormat(ActivityIdFormat.W3C).Start())
        {
            await using (var write = await units.BeginAsync(WorkMode.Write))
            {
                await write.CommitAsync();
            }

            await using (await units.BeginAsync(WorkMode.Read))
            {
                // Read and let go: a rollback.
            }

            root.Stop();
            List<Activity> mine;
            lock (stopped)
            {
                mine = [.. stopped.Where(a => a.TraceId == root.TraceId)];
            }

            Assert.Equal(new[] { "BEGIN", "COMMIT", "BEGIN", "ROLLBACK" }, mine.Select(a => a.DisplayName));
            Assert.All(mine, a =>
            {
                Assert.Equal(ActivityKind.Client, a.Kind);
                Assert.Equal(root.SpanId, a.ParentSpanId);
                Assert.Equal("sqlite", a.GetTagItem(RadRegenDiagnostics.Tags.DbSystem));
                Assert.Equal(ActivityStatusCode.Unset, a.Status);
            });
            Assert.Equal(new object[] { "write", "write", "read", "read" }, mine.Select(a => a.GetTagItem(RadRegenDiagnostics.Tags.WorkMode)));
        }

        lock (outcomes)
        {
            Assert.Contains(("radregen.db.transactions", "commit", "write"), outcomes);
            Assert.Contains(("radregen.db.transactions", "rollback", "read"), outcomes);
            Assert.Contains(("radregen.db.unit_of_work.duration", "commit", "write"), outcomes);
            Assert.Contains(("radregen.db.unit_of_work.duration", "rollback", "read"), outcomes);
        }
    }
}
