using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using RadRegen.Core.Access;
using RadRegen.Network.Hub;
using RadRegen.Web.Pages.Bank;
using RadRegen.Web.Security;

namespace RadRegen.Web.Pages.Hub;

/// <summary>
/// The hub's forms (issue 14): declare a member with its capabilities, create a request for
/// assistance, make an offer against a request. Each calls the same <see cref="HubService"/> as the
/// API and the CLI, so the rules, the e-signature and the published event are the same; a refused
/// field is shown beside its input, and the form keeps what was typed.
/// </summary>
[AuthorizeOperation(Operation.HubRead)]
public sealed partial class EnterModel(HubService hub) : BankPageModel
{
    /// <summary>Rows a form offers for capabilities, lines and patient counts; empty rows are left out.</summary>
    public const int Rows = 3;

    private readonly Dictionary<string, string> _unparsed = new(StringComparer.Ordinal);

    [BindProperty]
    public MemberForm Member { get; set; } = new();

    [BindProperty]
    public RequestForm NewRequest { get; set; } = new();

    [BindProperty]
    public OfferForm Offer { get; set; } = new();

    /// <summary>The request an offer is for (<c>?request=</c> from /hub).</summary>
    [BindProperty(SupportsGet = true, Name = "request")]
    public string? RequestId { get; set; }

    public IReadOnlyList<HubMember> Members { get; private set; } = [];

    public IReadOnlyList<RequestView> OpenRequests { get; private set; } = [];

    public string? LocalCenter => hub.Options.LocalCenter;

    /// <summary>The error of <paramref name="field"/> when <paramref name="form"/> is the form that was refused (the forms share field names).</summary>
    public string? ErrorIn(string form, string field) => FailedForm == form ? ErrorFor(field) : null;

    public bool CanDeclare => User.May(Operation.HubRegistryManage);

    public bool CanRequest => User.May(Operation.HubRequest);

    public bool CanOffer => User.May(Operation.HubOffer);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Offer.RequestId ??= RequestId;
        return await PageOrNotFoundAsync(() => LoadAsync(ct));
    }

    /// <summary>Declares a member (the whole declaration replaces the previous one).</summary>
    public async Task<IActionResult> OnPostMemberAsync(CancellationToken ct)
    {
        var rows = Used(Member.Capabilities, c => !Blank(c.Area, c.Kind, c.Quantity, c.ProductType, c.Description, c.Terms));
        var input = new MemberInput(Member.Code, Member.Name, Member.Kind, Member.Country, Member.Organisation, Member.Center,
            [.. rows.Select(i => (i, c: Member.Capabilities[i])).Select(x => new CapabilityInput(x.c.Area, x.c.Kind, Int(x.c.Quantity, $"capabilities[{x.i}].quantity"),
                Empty(x.c.ProductType), Double(x.c.HlaCoveragePercent, $"capabilities[{x.i}].hlaCoveragePercent"), Empty(x.c.Description), Empty(x.c.Terms),
                Date(x.c.ValidFrom, $"capabilities[{x.i}].validFrom"), Date(x.c.ValidUntil, $"capabilities[{x.i}].validUntil")))]);
        HubMember? declared = null;
        if (Unparsed("member") && await TryAsync("member", async () => declared = await hub.DeclareMemberAsync(User.Actor(), input, ct)))
        {
            Notice($"Member {declared!.Code} declared with {declared.Capabilities.Count} capabilities and published.");
            return Redirect("/hub");
        }

        Renumber("capabilities", rows);
        FailedForm = "member";
        return await PageOrNotFoundAsync(() => LoadAsync(ct));
    }

    /// <summary>Creates a request for assistance, signed.</summary>
    public async Task<IActionResult> OnPostRequestAsync(CancellationToken ct)
    {
        var lines = Used(NewRequest.Lines, l => !Blank(l.Area, l.Kind, l.Quantity, l.Note));
        var patients = Used(NewRequest.Patients, p => !Blank(p.Triage, p.ResponseCategory, p.Count));
        var input = new NewAssistanceRequest(NewRequest.Requester, NewRequest.Subject, NewRequest.Scope,
            [.. lines.Select(i => Line(NewRequest.Lines[i], i))],
            [.. patients.Select(i => (i, p: NewRequest.Patients[i])).Select(x => new PatientInput(Empty(x.p.Triage), Int(x.p.ResponseCategory, $"patients[{x.i}].responseCategory"),
                Int(x.p.Count, $"patients[{x.i}].count")))],
            Empty(NewRequest.SupportingInformation), NewRequest.Urgency, NewRequest.Confidentiality, NewRequest.Addressees ?? [], Int(NewRequest.AnswerWithinHours, "answerWithinHours"));
        RequestView? created = null;
        if (Unparsed("request") && await TryAsync("request", async () => created = await hub.CreateRequestAsync(User.Actor(), input, NewRequest.Password ?? "", ct)))
        {
            Notice($"Request {created!.Request.Id[..8]} created, signed and sent ({created.Request.Confidentiality.Name()}).");
            return Redirect("/hub");
        }

        Renumber("lines", lines);
        Renumber("patients", patients);
        FailedForm = "request";
        return await PageOrNotFoundAsync(() => LoadAsync(ct));
    }

    /// <summary>Makes an offer against a request, signed.</summary>
    public async Task<IActionResult> OnPostOfferAsync(CancellationToken ct)
    {
        var lines = Used(Offer.Lines, l => !Blank(l.Area, l.Kind, l.Quantity, l.Note));
        var input = new NewAssistanceOffer(Offer.Offerer, Offer.Scope, [.. lines.Select(i => Line(Offer.Lines[i], i))], Empty(Offer.Terms),
            Decimal(Offer.CostAmount, "costAmount"), Empty(Offer.CostCurrency), Empty(Offer.Confidentiality));
        AssistanceOffer? made = null;
        if (string.IsNullOrWhiteSpace(Offer.RequestId))
        {
            _unparsed["requestId"] = "choose the request the offer answers";
        }

        var ok = Unparsed("offer") && await TryAsync("offer", async () => made = await hub.OfferAsync(User.Actor(), Offer.RequestId!.Trim(), input, Offer.Password ?? "", ct));
        if (ok)
        {
            Notice($"Offer {made!.Id[..8]} made, signed and sent.");
            return Redirect("/hub");
        }

        Renumber("lines", lines);
        FailedForm = "offer";
        return await PageOrNotFoundAsync(() => LoadAsync(ct));
    }

    /// <summary>Fields that are not even a number or a date: shown beside the field, the domain not called. True when there are none.</summary>
    private bool Unparsed(string form)
    {
        if (_unparsed.Count == 0)
        {
            return true;
        }

        foreach (var (field, message) in _unparsed)
        {
            FieldErrors[field] = message;
        }

        Error = "Please correct the marked fields: " + string.Join("; ", _unparsed.Select(e => $"{e.Key}: {e.Value}"));
        FailedForm = form;
        return false;
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var actor = User.Actor();
        Members = await hub.ListMembersAsync(actor, ct);
        OpenRequests = await hub.ListRequestsAsync(actor, openOnly: true, ct: ct);
    }

    private LineInput Line(LineForm l, int row) => new(l.Area, Empty(l.Kind), Int(l.Quantity, $"lines[{row}].quantity"), null, Empty(l.Note));

    /// <summary>The indices of the rows filled in.</summary>
    private static List<int> Used<T>(IReadOnlyList<T> rows, Func<T, bool> filled) => [.. Enumerable.Range(0, rows.Count).Where(i => filled(rows[i]))];

    /// <summary>The domain names the n-th row it was given (<c>lines[1].kind</c>); the form shows the error at the row it came from.</summary>
    private void Renumber(string list, List<int> rows)
    {
        if (_unparsed.Count > 0)
        {
            return; // the domain was not called: the errors already name the form's rows
        }

        foreach (var key in FieldErrors.Keys.ToList())
        {
            var m = RowField().Match(key);
            if (m.Success && m.Groups[1].Value == list && int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) is var n && n < rows.Count && rows[n] != n)
            {
                var message = FieldErrors[key];
                FieldErrors.Remove(key);
                FieldErrors[$"{list}[{rows[n]}]{m.Groups[3].Value}"] = message;
            }
        }
    }

    [GeneratedRegex(@"^(\w+)\[(\d+)\](.*)$")]
    private static partial Regex RowField();

    private static bool Blank(params string?[] values) => values.All(string.IsNullOrWhiteSpace);

    private static string? Empty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private int? Int(string? s, string field)
    {
        if (string.IsNullOrWhiteSpace(s))
        {
            return null;
        }

        if (int.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v))
        {
            return v;
        }

        _unparsed[field] = $"'{s}' is not a whole number";
        return null;
    }

    private double? Double(string? s, string field)
    {
        if (string.IsNullOrWhiteSpace(s))
        {
            return null;
        }

        if (double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
        {
            return v;
        }

        _unparsed[field] = $"'{s}' is not a number";
        return null;
    }

    private decimal? Decimal(string? s, string field)
    {
        if (string.IsNullOrWhiteSpace(s))
        {
            return null;
        }

        if (decimal.TryParse(s.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var v))
        {
            return v;
        }

        _unparsed[field] = $"'{s}' is not an amount (digits, a decimal point)";
        return null;
    }

    private DateOnly? Date(string? s, string field)
    {
        if (string.IsNullOrWhiteSpace(s))
        {
            return null;
        }

        if (DateOnly.TryParseExact(s.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            return d;
        }

        _unparsed[field] = $"'{s}' is not a date (yyyy-mm-dd)";
        return null;
    }
}

/// <summary>One coded line row of the request or offer form (for the <c>_LineRow</c> partial).</summary>
public sealed record LineRow(string Form, string FormKey, string Prefix, int Index, LineForm Line, EnterModel Page)
{
    public string Field(string name) => $"lines[{Index}].{name}";

    public string? Error(string name) => Page.ErrorIn(FormKey, Field(name));
}

/// <summary>A capability row of the member form (as typed).</summary>
public sealed class CapabilityForm
{
    public string? Area { get; set; }
    public string? Kind { get; set; }
    public string? Quantity { get; set; }
    public string? ProductType { get; set; }
    public string? HlaCoveragePercent { get; set; }
    public string? Description { get; set; }
    public string? Terms { get; set; }
    public string? ValidFrom { get; set; }
    public string? ValidUntil { get; set; }
}

/// <summary>The member form (as typed).</summary>
public sealed class MemberForm
{
    public string? Code { get; set; }
    public string? Name { get; set; }
    public string? Kind { get; set; }
    public string? Country { get; set; }
    public string? Organisation { get; set; }
    public string? Center { get; set; }
    public List<CapabilityForm> Capabilities { get; set; } = [.. Enumerable.Range(0, EnterModel.Rows).Select(_ => new CapabilityForm())];
}

/// <summary>A coded line of a request or offer (as typed).</summary>
public sealed class LineForm
{
    public string? Area { get; set; }
    public string? Kind { get; set; }
    public string? Quantity { get; set; }
    public string? Note { get; set; }
}

/// <summary>Patients of one triage colour and response category (as typed).</summary>
public sealed class PatientForm
{
    public string? Triage { get; set; }
    public string? ResponseCategory { get; set; }
    public string? Count { get; set; }
}

/// <summary>The request form (as typed).</summary>
public sealed class RequestForm
{
    public string? Requester { get; set; }
    public string? Subject { get; set; }
    public string? Scope { get; set; }
    public List<LineForm> Lines { get; set; } = [.. Enumerable.Range(0, EnterModel.Rows).Select(_ => new LineForm())];
    public List<PatientForm> Patients { get; set; } = [.. Enumerable.Range(0, EnterModel.Rows).Select(_ => new PatientForm())];
    public string? SupportingInformation { get; set; }
    public string? Urgency { get; set; } = "urgent";
    public string? Confidentiality { get; set; } = "restricted";
    public List<string>? Addressees { get; set; }
    public string? AnswerWithinHours { get; set; }
    public string? Password { get; set; }
}

/// <summary>The offer form (as typed).</summary>
public sealed class OfferForm
{
    public string? RequestId { get; set; }
    public string? Offerer { get; set; }
    public string? Scope { get; set; }
    public List<LineForm> Lines { get; set; } = [.. Enumerable.Range(0, EnterModel.Rows).Select(_ => new LineForm())];
    public string? Terms { get; set; }
    public string? CostAmount { get; set; }
    public string? CostCurrency { get; set; }
    public string? Confidentiality { get; set; }
    public string? Password { get; set; }
}
