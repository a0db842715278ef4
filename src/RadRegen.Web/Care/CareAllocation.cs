using System.Globalization;
using RadRegen.Care.Allocation;
using RadRegen.Care.MassCasualty;
using RadRegen.Core;
using RadRegen.Core.Access;
using RadRegen.Hla.Matching;
using RadRegen.Network.Allocation;

namespace RadRegen.Web.Care;

/// <summary>
/// Runs <see cref="MassCasualtyService.AllocateAsync"/> over the bank's stock (<see cref="IProductInventory"/>)
/// and the other centers' shareable stock the network delivered (<see cref="IRemoteStock"/>, ADR 0030)
/// for the API and the allocation page, after checking the settings a person typed; turns the remote
/// part into shipment requests (<see cref="AllocationShipments"/>). Role checks are the services'.
/// </summary>
public sealed class CareAllocation(MassCasualtyService massCasualty, IProductInventory inventory, IRemoteStock remoteStock, AllocationShipments shipments)
{
    /// <summary>HvG mismatches that can be accepted at most: A, B and DRB1, two each.</summary>
    public const int MaxHvgLimit = 6;

    public const int DefaultMaxHvg = 2;

    /// <param name="remote">Whether other centers' stock is considered (default yes; a drill never draws on it).</param>
    public async Task<AllocationRun> RunAsync(Actor actor, long incidentId, IReadOnlyDictionary<string, int>? transportLimits, int? maxHvg, CancellationToken ct,
        bool remote = true)
    {
        var errors = new List<FieldError>();
        if (maxHvg is < 0 or > MaxHvgLimit)
        {
            errors.Add(new FieldError("maxHvg", $"{maxHvg} is not a number of HvG mismatches (0–{MaxHvgLimit} over A, B, DRB1)"));
        }

        // Issue 12 item 8: one limit per site, a short list (Core.Limits); each site name a short name (the JSON reader's key rule).
        new InputLimits(errors).Count("transportLimits", transportLimits?.Count ?? 0, Limits.ShortList);
        var limits = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (site, n) in (transportLimits ?? new Dictionary<string, int>()).Take(Limits.ShortList.MaxCount))
        {
            if (string.IsNullOrWhiteSpace(site))
            {
                errors.Add(new FieldError("transportLimits", "a site name is empty"));
            }
            else if (n < 0)
            {
                errors.Add(new FieldError($"transportLimits.{site.Trim()}", $"{n} vials: a transport limit is a whole number ≥ 0"));
            }
            else
            {
                limits[site.Trim()] = n;
            }
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        var compatibility = new HlaCompatibility(new HlaMatcher(MatchOptions.Default), maxHvg ?? DefaultMaxHvg);
        return await massCasualty.AllocateAsync(actor, incidentId, inventory, compatibility, limits.Count > 0 ? limits : null, policy: null,
            remote ? remoteStock : null, ct);
    }

    /// <summary>
    /// Runs the allocation with the same settings and requests the shipments its remote part proposes
    /// from the owning centers (all, or <paramref name="centers"/> only): the owners decide; nothing is
    /// reserved at the owner until it accepts and packs.
    /// </summary>
    public async Task<(AllocationRun Run, AllocationShipmentsResult Shipments)> RequestShipmentsAsync(Actor actor, long incidentId,
        IReadOnlyDictionary<string, int>? transportLimits, int? maxHvg, IReadOnlyCollection<string>? centers, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor.Demand(Operation.CareAllocationShipmentsRequest); // before the run journals a plan
        new InputLimits().Count("centers", centers?.Count ?? 0, Limits.ShortList).ThrowIfAny();
        var run = await RunAsync(actor, incidentId, transportLimits, maxHvg, ct);
        return (run, await shipments.RequestAsync(actor, run, centers, ct));
    }

    /// <summary>Reads transport limits typed as <c>SITE=N, SITE=N</c> (the command line's form).</summary>
    public static Dictionary<string, int> ParseLimits(string? text, string field = "transportLimits")
    {
        var limits = new Dictionary<string, int>(StringComparer.Ordinal);
        var errors = new List<FieldError>();
        foreach (var part in (text ?? "").Split([',', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.LastIndexOf('=');
            if (eq <= 0 || !int.TryParse(part[(eq + 1)..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                errors.Add(new FieldError(field, $"\"{part}\" is not SITE=N with N a whole number ≥ 0"));
                continue;
            }

            limits[part[..eq].Trim()] = n;
        }

        return errors.Count > 0 ? throw new DomainValidationException(errors) : limits;
    }

    /// <summary>The result of a run as the API and the page show it.</summary>
    public static AllocationResponse Describe(AllocationRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var r = run.Result;
        return new AllocationResponse(r.Algorithm, run.Requests.Count, run.VialsInStock, r.VialsRequested, r.VialsAllocated, r.VialsRequested - r.VialsAllocated,
            Math.Round(r.TotalValue, 6), Math.Round(run.Elapsed.TotalMilliseconds, 1),
            [.. r.Outcomes.Select(o => new AllocationOutcome(o.Request.Id, o.Request.PatientCode, o.Request.ProductType, o.Request.Vials, o.Request.Priority,
                o.Allocated, o.Unmet, Math.Round(o.Value, 6),
                [.. o.Allotments.Select(a => new AllocationAllotment(a.LineId, a.Site, a.VialIds, Math.Round(a.Compatibility, 4), a.Explanation,
                    a.Remote is not null, a.Remote?.Center, a.Remote?.StockRef, a.Remote?.TransportHours))],
                o.Explanation, o.Request.Benefit, o.Request.WindowHours))],
            run.Scarcity, run.Withheld ?? [], run.Policy?.Version, run.Policy?.Policy.Rules() ?? [], run.RemoteVials, run.RemoteNotes ?? []);
    }
}

/// <param name="Remote">Another center's stock: a proposal that center must accept (a shipment request) before anything is reserved there.</param>
/// <param name="Center">The owning center (remote only).</param>
/// <param name="StockRef">The owning center's stock reference (remote only).</param>
/// <param name="TransportHours">Hours to bring it here (remote only).</param>
public sealed record AllocationAllotment(string Line, string Site, IReadOnlyList<string> Vials, double Compatibility, string Explanation,
    bool Remote = false, string? Center = null, string? StockRef = null, double? TransportHours = null);

/// <param name="Benefit">The expected benefit the objective weighed (policy table), times compatibility per vial.</param>
/// <param name="WindowHours">Within how many hours the product must arrive (the policy's treatment window).</param>
public sealed record AllocationOutcome(string Request, string Patient, string ProductType, int VialsRequested, double Priority, int VialsAllocated, int VialsUnmet,
    double Value, IReadOnlyList<AllocationAllotment> Allotments, IReadOnlyList<string> Explanation, double? Benefit = null, double? WindowHours = null);

/// <param name="Scarcity">Whether stock was short for some product, so that the expectant tier applied.</param>
/// <param name="Withheld">Needs not put to the allocation (expectant under scarcity, or no expected benefit), with why.</param>
/// <param name="PolicyVersion">The priority policy version used.</param>
/// <param name="PolicyRules">Its rules and their sources.</param>
/// <param name="RemoteVials">Other centers' vials considered (proposals).</param>
/// <param name="RemoteNotes">What happened to other centers' stock: lots considered, left out and why.</param>
public sealed record AllocationResponse(string Algorithm, int Requests, int VialsInStock, int VialsRequested, int VialsAllocated, int VialsUnmet,
    double TotalValue, double ElapsedMs, IReadOnlyList<AllocationOutcome> Outcomes,
    bool Scarcity = false, IReadOnlyList<WithheldNeed>? Withheld = null, int? PolicyVersion = null, IReadOnlyList<PolicyRule>? PolicyRules = null,
    int RemoteVials = 0, IReadOnlyList<string>? RemoteNotes = null)
{
    /// <summary>Whether any patient's allotment is another center's stock (a proposal).</summary>
    public bool HasRemote => Outcomes.Any(o => o.Allotments.Any(a => a.Remote));
}

/// <summary>The shipment requests made for an allocation, and the allocation they came from.</summary>
public sealed record AllocationShipmentsResponse(AllocationResponse Allocation, IReadOnlyList<AllocationShipment> Requested, IReadOnlyList<string> Skipped);

/// <summary>An allocation as CSV: one row per allotment (line, site, vials) and one per unmet remainder, with the reasons.</summary>
public static class AllocationCsv
{
    public static byte[] Write(AllocationResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        static string N(double v) => v.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture);
        return RadRegen.Core.Csv.CsvOutput.Utf8.GetBytes(RadRegen.Core.Csv.CsvOutput.ToText(csv =>
        {
            csv.Header("request", "patient", "product", "priority", "vialsRequested", "vialsAllocated", "line", "site", "vials", "compatibility", "explanation",
                "center", "transportHours");
            foreach (var o in response.Outcomes)
            {
                void Row(string line, string site, string vials, string compatibility, string why, string center = "", string hours = "") =>
                    csv.Text(o.Request).Text(o.Patient).Values(o.ProductType, N(o.Priority), o.VialsRequested.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        o.VialsAllocated.ToString(System.Globalization.CultureInfo.InvariantCulture)).Text(line).Text(site).Text(vials).Value(compatibility).Text(why)
                        .Text(center).Value(hours).EndRow();
                foreach (var a in o.Allotments)
                {
                    Row(a.Line, a.Site, string.Join(" ", a.Vials), N(a.Compatibility),
                        a.Remote ? $"{a.Explanation}; proposal: {a.Center} must accept a shipment request" : a.Explanation,
                        a.Center ?? "", a.TransportHours is { } h ? N(h) : "");
                }

                if (o.VialsUnmet > 0)
                {
                    Row("", "", "", "", $"unmet {o.VialsUnmet}: {string.Join("; ", o.Explanation)}");
                }
            }
        }));
    }
}
