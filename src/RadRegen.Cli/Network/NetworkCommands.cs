using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using RadRegen.Cli.Infrastructure;
using RadRegen.Network.Inbox;

namespace RadRegen.Cli.Network;

/// <summary><c>radregen network …</c>: the network of centers as this center's database records it (docs/network.md).</summary>
internal static class NetworkCommands
{
    public static Command Create()
    {
        var network = new Command("network", "The network of centers (docs/network.md): centers seen, link, lag, outbox, parked events; the shared inventory; shipments between centers.");
        network.Add(Status());
        network.Add(NetworkInventoryCommand.Create());
        foreach (var c in NetworkShipmentCommands.Create()) { network.Add(c); }
        return network;
    }

    private static Command Status()
    {
        var db = CommonOptions.Database();
        var json = CommonOptions.Json();
        var status = new Command("status",
            "Centers seen (identity, capabilities, last event, lag), this center's link to the NATS server as the server last recorded it, "
            + "the events waiting in its outbox and the parked events with their reasons. Reads the database; never creates or migrates one.")
        { db, json };
        CliAction.Set(status, async (parse, ct) =>
        {
            var settings = CliDatabase.Settings(parse, db);
            await using var services = await CliDatabase.OpenAsync(parse, db, DatabaseUse.Read, ct);
            var s = await services.GetRequiredService<NetworkStatusReader>().ReadAsync(CliDatabase.Operator, settings.Network is not null, ct);
            if (parse.GetValue(json))
            {
                CliAction.WriteJson(parse, new
                {
                    center = s.Center,
                    joined = s.Joined,
                    network = settings.Network is { } n ? new { name = n.Name, url = n.Url.ToString().TrimEnd('/') } : null,
                    at = s.At,
                    link = s.Link is { } l ? new { url = l.Url, state = l.Status.ToString().ToLowerInvariant(), changedAt = l.ChangedAt, lastContactAt = l.LastContactAt, lastError = l.LastError } : null,
                    outbox = s.Outbox,
                    centers = s.Centers.Select(c => new
                    {
                        code = c.Center.Code,
                        name = c.Center.Name,
                        timeZone = c.Center.TimeZone,
                        capabilities = c.Center.Capabilities,
                        knownBy = c.Center.KnownBy,
                        firstSeenAt = c.Center.FirstSeenAt,
                        lastEventAt = c.Center.LastEventAt,
                        lastAppliedAt = c.Center.LastAppliedAt,
                        eventsApplied = c.Center.EventsApplied,
                        lagSeconds = c.Lag?.TotalSeconds,
                        deliveryDelaySeconds = c.DeliveryDelay?.TotalSeconds,
                    }),
                    parked = new
                    {
                        count = s.ParkedCount,
                        recent = s.RecentParked.Select(p => new
                        {
                            eventId = p.Envelope.EventId,
                            sourceCenter = p.Envelope.SourceCenter,
                            kind = p.Envelope.Kind,
                            schemaVersion = p.Envelope.SchemaVersion,
                            entityKey = p.Envelope.EntityKey,
                            entityVersion = p.Envelope.EntityVersion,
                            occurredAt = p.Envelope.OccurredAt,
                            reasonCode = p.ReasonCode,
                            reason = p.Reason,
                            parkedAt = p.ParkedAt,
                        }),
                    },
                });
                return ExitCodes.Ok;
            }

            var output = parse.InvocationConfiguration.Output;
            var c = CultureInfo.InvariantCulture;
            output.WriteLine(settings.Network is { } joined
                ? $"center {s.Center} in network {joined.Name} ({joined.Url.ToString().TrimEnd('/')})"
                : $"center {(s.Center.Length > 0 ? s.Center : "(no facility code)")}: no network configured (runs alone)");
            output.WriteLine(s.Link is { } link
                ? $"link: {link.Status.ToString().ToLowerInvariant()} since {link.ChangedAt.ToString("u", c)}, last contact {link.LastContactAt?.ToString("u", c) ?? "never"}"
                    + (link.LastError is { } error ? $"{Environment.NewLine}link error: {error}" : "")
                : "link: no network engine has run on this database");
            output.WriteLine($"outbox: {s.Outbox.Pending} of {s.Outbox.Total} events waiting"
                + (s.Outbox.OldestPendingAt is { } oldest ? $" (oldest {oldest.ToString("u", c)})" : ""));
            TextTable.Write(output, ["center", "name", "known by", "last event", "lag", "events"], s.Centers.Select(x => (IReadOnlyList<string>)
            [
                x.Center.Code, x.Center.Name, x.Center.KnownBy, x.Center.LastEventAt?.ToString("u", c) ?? "-",
                x.Lag is { } lag ? Duration(lag) : "-", x.Center.EventsApplied.ToString(c),
            ]));
            output.WriteLine($"parked events: {s.ParkedCount}");
            foreach (var p in s.RecentParked)
            {
                output.WriteLine($"  {p.Envelope.SourceCenter} {p.Envelope.Kind} {p.Envelope.EntityKey}@{p.Envelope.EntityVersion}: {p.ReasonCode}: {p.Reason}");
            }

            return ExitCodes.Ok;
        });
        return status;
    }

    /// <summary>A lag as people read it (seconds, minutes, hours, days).</summary>
    public static string Duration(TimeSpan span) => span.TotalSeconds switch
    {
        < 0 => "0 s",
        < 120 => span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s",
        < 7200 => span.TotalMinutes.ToString("0", CultureInfo.InvariantCulture) + " min",
        < 172800 => span.TotalHours.ToString("0.#", CultureInfo.InvariantCulture) + " h",
        _ => span.TotalDays.ToString("0.#", CultureInfo.InvariantCulture) + " d",
    };
}
