using Microsoft.AspNetCore.Mvc;
using RadRegen.Core.Access;
using RadRegen.Network.Capacity;
using RadRegen.Web.Pages.Bank;
using RadRegen.Web.Security;

namespace RadRegen.Web.Pages.Network;

/// <summary>The network's capacity (issue 13 item 4): totals, shortfall against the newest request, stale reports; this center's report and a capacity request.</summary>
[AuthorizeOperation(Operation.NetworkCapacityRead)]
public sealed class CapacityModel(CapacityService capacity) : BankPageModel
{
    public sealed class BedRow
    {
        public string? BedType { get; set; }

        public int? Baseline { get; set; }

        public int? Available { get; set; }

        public string? Comment { get; set; }
    }

    public sealed class RequestForm
    {
        public string? Reference { get; set; }

        public int? RequiredPerCenter { get; set; }

        public string? BedType { get; set; }

        public string? Centers { get; set; }
    }

    [BindProperty]
    public List<BedRow> Beds { get; set; } = [.. BedTypes.All.Select(t => new BedRow { BedType = t.Name() })];

    [BindProperty]
    public RequestForm Demand { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public long? RequestId { get; set; }

    public NetworkCapacityView? View { get; private set; }

    public IReadOnlyList<CapacityRequest> Requests { get; private set; } = [];

    public string? LocalCenter => capacity.Options.LocalCenter;

    public bool CanReport => User.May(Operation.NetworkCapacityReport);

    public bool CanRequest => User.May(Operation.NetworkCapacityRequest);

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => PageOrNotFoundAsync(() => LoadAsync(ct));

    public async Task<IActionResult> OnPostReportAsync(CancellationToken ct)
    {
        // Only the rows a person filled are reported; errors come back under the form's own row numbers.
        var filled = Beds.Select((b, i) => (Row: b, Index: i)).Where(x => x.Row.Baseline is not null || x.Row.Available is not null || !string.IsNullOrWhiteSpace(x.Row.Comment)).ToList();
        var ok = await TryAsync("report", () => capacity.ReportAsync(User.Actor(),
            new CapacityReport([.. filled.Select(x => new BedCount(x.Row.BedType, x.Row.Baseline, x.Row.Available, x.Row.Comment))]), ct));
        if (ok)
        {
            Notice($"Capacity of {filled.Count} bed type(s) reported and published to the network.");
            return Redirect("/network/capacity");
        }

        foreach (var (key, message) in FieldErrors.ToList())
        {
            for (var i = 0; i < filled.Count; i++)
            {
                var prefix = $"beds[{i}].";
                if (key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    FieldErrors.Remove(key);
                    FieldErrors[$"beds[{filled[i].Index}]." + key[prefix.Length..]] = message;
                }
            }
        }

        return await PageOrNotFoundAsync(() => LoadAsync(ct));
    }

    public async Task<IActionResult> OnPostRequestAsync(CancellationToken ct)
    {
        CapacityRequest? created = null;
        var ok = await TryAsync("request", async () => created = await capacity.RequestAsync(User.Actor(), new NewCapacityRequest(Demand.Reference, Demand.RequiredPerCenter,
            Demand.BedType, [.. (Demand.Centers ?? "").Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]), ct));
        if (ok)
        {
            Notice($"Capacity request '{created!.Reference}' entered: {created.RequiredPerCenter} beds per center.");
            return Redirect("/network/capacity");
        }

        return await PageOrNotFoundAsync(() => LoadAsync(ct));
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        View = await capacity.ViewAsync(User.Actor(), RequestId, ct);
        Requests = await capacity.ListRequestsAsync(User.Actor(), ct);
    }
}
