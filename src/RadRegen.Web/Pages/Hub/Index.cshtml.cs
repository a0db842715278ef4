using Microsoft.AspNetCore.Mvc;
using RadRegen.Core.Access;
using RadRegen.Network.Hub;
using RadRegen.Web.Pages.Bank;
using RadRegen.Web.Security;

namespace RadRegen.Web.Pages.Hub;

/// <summary>
/// The international hub (issue 14): open requests with their answer timers, their offers with the
/// next EDXL-RM step (e-signed), the registry searched by RANET area and kind.
/// </summary>
[AuthorizeOperation(Operation.HubRead)]
public sealed class IndexModel(HubService hub) : BankPageModel
{
    /// <summary>Registry search: area.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Area { get; set; }

    /// <summary>Registry search: kind.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Kind { get; set; }

    /// <summary>Registry search: words.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Text { get; set; }

    /// <summary>Show ended requests too.</summary>
    [BindProperty(SupportsGet = true)]
    public bool All { get; set; }

    /// <summary>The signer's password for a step.</summary>
    [BindProperty]
    public string? Password { get; set; }

    /// <summary>The reason for a withdrawal or release.</summary>
    [BindProperty]
    public string? Reason { get; set; }

    public IReadOnlyList<RequestView> Requests { get; private set; } = [];

    public IReadOnlyList<HubMember> Members { get; private set; } = [];

    public IReadOnlyList<(HubMember Member, Capability Capability)> Hits { get; private set; } = [];

    public string? SearchError { get; private set; }

    public string? LocalCenter => hub.Options.LocalCenter;

    public DateTimeOffset Now { get; } = DateTimeOffset.UtcNow;

    public bool CanRequest => User.May(Operation.HubRequest);

    public bool CanOffer => User.May(Operation.HubOffer);

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => PageOrNotFoundAsync(() => LoadAsync(ct));

    /// <summary>One step of an offer: accept (requesting side), commit or deliver (offering side).</summary>
    public async Task<IActionResult> OnPostStepAsync(string id, string step, CancellationToken ct)
    {
        var actor = User.Actor();
        var pw = Password ?? "";
        var ok = await TryAsync("offer:" + id, () => step switch
        {
            "accept" => hub.AcceptAsync(actor, id, pw, ct),
            "commit" => hub.CommitAsync(actor, id, pw, ct),
            "deliver" => hub.DeliverAsync(actor, id, pw, ct),
            "withdraw" => hub.WithdrawAsync(actor, id, Reason, pw, ct),
            "release" => hub.ReleaseOfferAsync(actor, id, Reason, pw, ct),
            _ => throw new Core.DomainValidationException("step", $"'{step}' is not a step (accept, commit, deliver, withdraw, release)"),
        });
        if (ok)
        {
            Notice($"Offer {id[..8]}: {step} recorded and signed.");
            return Redirect("/hub");
        }

        return await PageOrNotFoundAsync(() => LoadAsync(ct));
    }

    /// <summary>Closing (all accepted offers delivered) or releasing a request this center keeps.</summary>
    public async Task<IActionResult> OnPostEndAsync(string id, bool close, CancellationToken ct)
    {
        var actor = User.Actor();
        var ok = await TryAsync("request:" + id, () => close
            ? hub.CloseRequestAsync(actor, id, Password ?? "", ct)
            : hub.ReleaseRequestAsync(actor, id, Reason, Password ?? "", ct));
        if (ok)
        {
            Notice($"Request {id[..8]} {(close ? "closed" : "released")} and signed.");
            return Redirect("/hub");
        }

        return await PageOrNotFoundAsync(() => LoadAsync(ct));
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var actor = User.Actor();
        Requests = await hub.ListRequestsAsync(actor, openOnly: !All, ct: ct);
        Members = await hub.ListMembersAsync(actor, ct);
        try
        {
            Hits = await hub.SearchAsync(actor, new CapabilitySearch(Area, Kind, null, Text), ct);
        }
        catch (Core.DomainValidationException ex)
        {
            SearchError = string.Join("; ", ex.Errors.Select(e => e.ToString()));
            foreach (var e in ex.Errors)
            {
                FieldErrors[e.Field] = e.Message;
            }
        }
    }

    public static string Badge(HubState s) => s switch
    {
        HubState.Requested => "text-bg-info",
        HubState.Offered => "text-bg-primary",
        HubState.Accepted or HubState.Committed => "text-bg-warning",
        HubState.Delivered or HubState.Closed => "text-bg-success",
        _ => "text-bg-secondary",
    };

    public static string Remaining(TimeSpan t) => t.TotalHours >= 1 ? $"{(int)t.TotalHours} h {t.Minutes} min" : $"{Math.Max(0, t.Minutes)} min";
}
