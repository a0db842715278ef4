using System.Globalization;
using System.Text.RegularExpressions;
using RadRegen.Core;

namespace RadRegen.Network.Hub;

/// <summary>A capability as a person declares it (codes as text).</summary>
public sealed record CapabilityInput(string? Area, string? Kind, int? Quantity, string? ProductType = null, double? HlaCoveragePercent = null,
    string? Description = null, string? Terms = null, DateOnly? ValidFrom = null, DateOnly? ValidUntil = null);

/// <summary>A member's declaration as a person gives it: the whole member, replacing the previous one.</summary>
public sealed record MemberInput(string? Code, string? Name, string? Kind, string? Country, string? Organisation, string? Center,
    IReadOnlyList<CapabilityInput>? Capabilities);

/// <summary>A coded line of a request or an offer as a person gives it.</summary>
public sealed record LineInput(string? Area, string? Kind = null, int? Quantity = null, string? ProductType = null, string? Note = null);

/// <summary>Patients of one triage colour and response category, counted.</summary>
public sealed record PatientInput(string? Triage, int? ResponseCategory, int? Count);

/// <summary>A request for assistance as a person enters it.</summary>
public sealed record NewAssistanceRequest(string? Requester, string? Subject, string? Scope, IReadOnlyList<LineInput>? Lines, IReadOnlyList<PatientInput>? Patients,
    string? SupportingInformation, string? Urgency, string? Confidentiality, IReadOnlyList<string>? Addressees, int? AnswerWithinHours);

/// <summary>An offer of assistance as a person enters it.</summary>
public sealed record NewAssistanceOffer(string? Offerer, string? Scope, IReadOnlyList<LineInput>? Lines, string? Terms, decimal? CostAmount, string? CostCurrency,
    string? Confidentiality);

/// <summary>A search of the registry: any of area, kind, a day the capability must hold on, words in the member or capability.</summary>
public sealed record CapabilitySearch(string? Area = null, string? Kind = null, DateOnly? ValidOn = null, string? Text = null);

/// <summary>The checks of the hub's inputs: each error names its field and the rule.</summary>
public static partial class HubInputs
{
    /// <summary>The most of anything a line may ask or a capability declare: far above any real capacity, low enough to catch a typo.</summary>
    public const int MaxQuantity = 1_000_000;

    /// <summary>The longest answer window a request may state: 30 days. Longer is not "prompt" in any reading of Art. 2.3.</summary>
    public const int MaxAnswerHours = 720;

    /// <summary>Triage colours of the dose-based first sorting (RadRegen.Dosimetry TriageColour).</summary>
    public static readonly IReadOnlyList<string> TriageColours = ["green", "yellow", "red"];

    [GeneratedRegex("^[A-Z0-9][A-Z0-9-]{1,31}$")]
    private static partial Regex MemberCodePattern();

    [GeneratedRegex("^[A-Z]{2}$")]
    private static partial Regex CountryPattern();

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex CurrencyPattern();

    public static string? MemberCode(string? text, string field, List<FieldError> errors)
    {
        var code = (text ?? "").Trim().ToUpperInvariant();
        if (!MemberCodePattern().IsMatch(code))
        {
            errors.Add(new FieldError(field, $"'{text}' is not a member code (2 to 32 capitals, digits or dashes, e.g. JP-NCA or a facility code)"));
            return null;
        }

        return code;
    }

    public static string? Country(string? text, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var c = text.Trim().ToUpperInvariant();
        if (!CountryPattern().IsMatch(c))
        {
            errors.Add(new FieldError("country", $"'{text}' is not an ISO 3166-1 alpha-2 country code (two letters)"));
        }

        return c;
    }

    public static string? Currency(string? text, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var c = text.Trim().ToUpperInvariant();
        if (!CurrencyPattern().IsMatch(c))
        {
            errors.Add(new FieldError("costCurrency", $"'{text}' is not an ISO 4217 currency code (three letters)"));
        }

        return c;
    }

    public static string? Trimmed(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    public static IReadOnlyList<Capability> Capabilities(IReadOnlyList<CapabilityInput>? input, List<FieldError> errors)
    {
        var list = new List<Capability>();
        var items = input ?? [];
        new InputLimits(errors).Count("capabilities", items.Count, Limits.ShortList);
        for (var i = 0; i < items.Count; i++)
        {
            var c = items[i];
            var f = $"capabilities[{i}].";
            var area = HubCodes.Collect(() => HubCodes.ParseArea(c?.Area, f + "area"), errors);
            var kind = HubCodes.Collect(() => HubCodes.ParseKind(c?.Kind, f + "kind"), errors);
            if (area is { } a && kind is { } k && k.AreaOf() is { } required && required != a)
            {
                errors.Add(new FieldError(f + "kind", $"{k.Name()} belongs to the area {required.Name()}, not {a.Name()}"));
            }

            Quantity(c?.Quantity, f + "quantity", errors, required: true);
            if (kind == CapabilityKind.IpscProduct && string.IsNullOrWhiteSpace(c?.ProductType))
            {
                errors.Add(new FieldError(f + "productType", "is required for an iPSC-derived product (its ISBT 128 product code or name)"));
            }

            if (c?.HlaCoveragePercent is { } h && (double.IsNaN(h) || h < 0 || h > 100))
            {
                errors.Add(new FieldError(f + "hlaCoveragePercent", $"{h.ToString(CultureInfo.InvariantCulture)} is not a percentage (0 to 100)"));
            }

            if (c?.HlaCoveragePercent is not null && kind != CapabilityKind.IpscProduct)
            {
                errors.Add(new FieldError(f + "hlaCoveragePercent", "is given only for an iPSC-derived product"));
            }

            if (c?.ValidFrom is null)
            {
                errors.Add(new FieldError(f + "validFrom", "is required (the first day the declaration holds)"));
            }
            else if (c.ValidUntil is { } until && until < c.ValidFrom)
            {
                errors.Add(new FieldError(f + "validUntil", $"{until:yyyy-MM-dd} is before validFrom {c.ValidFrom:yyyy-MM-dd}"));
            }

            new InputLimits(errors).Text(f + "productType", c?.ProductType, Limits.ShortName).Text(f + "description", c?.Description, Limits.FreeText)
                .Text(f + "terms", c?.Terms, Limits.FreeText);
            if (area is { } okArea && kind is { } okKind && c?.Quantity is { } q && c.ValidFrom is { } from)
            {
                list.Add(new Capability(okArea, okKind, q, Trimmed(c.ProductType), c.HlaCoveragePercent, Trimmed(c.Description), Trimmed(c.Terms), from, c.ValidUntil));
            }
        }

        return list;
    }

    public static IReadOnlyList<AssistanceLine> Lines(IReadOnlyList<LineInput>? input, List<FieldError> errors)
    {
        var list = new List<AssistanceLine>();
        var items = input ?? [];
        if (items.Count == 0)
        {
            errors.Add(new FieldError("lines", "give at least one line coded by capability area (the type of assistance, Assistance Convention Art. 2.2)"));
        }

        new InputLimits(errors).Count("lines", items.Count, Limits.ShortList);
        for (var i = 0; i < items.Count; i++)
        {
            var l = items[i];
            var f = $"lines[{i}].";
            var area = HubCodes.Collect(() => HubCodes.ParseArea(l?.Area, f + "area"), errors);
            CapabilityKind? kind = null;
            if (!string.IsNullOrWhiteSpace(l?.Kind))
            {
                kind = HubCodes.Collect(() => HubCodes.ParseKind(l.Kind, f + "kind"), errors);
                if (area is { } a && kind is { } k && k.AreaOf() is { } required && required != a)
                {
                    errors.Add(new FieldError(f + "kind", $"{k.Name()} belongs to the area {required.Name()}, not {a.Name()}"));
                }
            }

            Quantity(l?.Quantity, f + "quantity", errors, required: false);
            if (l?.Quantity is not null && kind is null)
            {
                errors.Add(new FieldError(f + "kind", "is required with a quantity (a quantity counts the kind's unit)"));
            }

            new InputLimits(errors).Text(f + "productType", l?.ProductType, Limits.ShortName).Text(f + "note", l?.Note, Limits.FreeText);
            if (area is { } ok)
            {
                list.Add(new AssistanceLine(ok, kind, l!.Quantity, Trimmed(l.ProductType), Trimmed(l.Note)));
            }
        }

        return list;
    }

    public static IReadOnlyList<PatientCount> Patients(IReadOnlyList<PatientInput>? input, List<FieldError> errors)
    {
        var list = new List<PatientCount>();
        var items = input ?? [];
        new InputLimits(errors).Count("patients", items.Count, Limits.ShortList);
        for (var i = 0; i < items.Count; i++)
        {
            var p = items[i];
            var f = $"patients[{i}].";
            string? triage = null;
            if (!string.IsNullOrWhiteSpace(p?.Triage))
            {
                triage = p.Triage.Trim().ToLowerInvariant();
                if (!TriageColours.Contains(triage))
                {
                    errors.Add(new FieldError(f + "triage", $"'{p.Triage}' is not a triage colour (green, yellow or red)"));
                }
            }

            if (p?.ResponseCategory is { } rc && (rc < 1 || rc > 4))
            {
                // METREPOL response categories RC1–RC4 (reference/clinical).
                errors.Add(new FieldError(f + "responseCategory", $"{rc} is not a METREPOL response category (1 to 4)"));
            }

            if (p?.Count is not { } n || n < 1 || n > MaxQuantity)
            {
                errors.Add(new FieldError(f + "count", $"must be a number of patients from 1 to {MaxQuantity:N0} (counts only: no identities)"));
            }
            else
            {
                list.Add(new PatientCount(triage, p.ResponseCategory, n));
            }
        }

        return list;
    }

    private static void Quantity(int? value, string field, List<FieldError> errors, bool required)
    {
        if (value is not { } q)
        {
            if (required)
            {
                errors.Add(new FieldError(field, "is required (a whole number of the kind's unit)"));
            }
        }
        else if (q < 1 || q > MaxQuantity)
        {
            errors.Add(new FieldError(field, $"{q} is not a quantity (1 to {MaxQuantity:N0})"));
        }
    }
}
