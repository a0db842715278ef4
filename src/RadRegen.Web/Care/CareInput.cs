using RadRegen.Care.Records;
using RadRegen.Core;

namespace RadRegen.Web.Care;

/// <summary>The words the API and the pages take for a patient's sex and exposure route.</summary>
public static class CareInput
{
    public static readonly string[] Sexes = ["female", "male", "unknown"];

    public static readonly string[] Routes = ["external", "internal", "both"];

    public static Sex ParseSex(string? text, string field = "sex") => text?.Trim().ToUpperInvariant() switch
    {
        null or "" or "U" or "UNKNOWN" => Sex.Unknown,
        "F" or "FEMALE" => Sex.Female,
        "M" or "MALE" => Sex.Male,
        _ => throw new DomainValidationException(field, $"\"{text}\" is not female, male or unknown"),
    };

    public static ExposureRoute ParseRoute(string? text, string field = "route") => text?.Trim().ToUpperInvariant() switch
    {
        null or "" or "EXTERNAL" => ExposureRoute.External,
        "INTERNAL" => ExposureRoute.Internal,
        "BOTH" or "EXTERNAL-AND-INTERNAL" or "EXTERNALANDINTERNAL" => ExposureRoute.ExternalAndInternal,
        _ => throw new DomainValidationException(field, $"\"{text}\" is not external, internal or both"),
    };

    /// <summary>Radionuclides typed as one text (<c>Cs-137, Co-60</c>).</summary>
    public static IReadOnlyList<string> SplitList(string? text) =>
        [.. (text ?? "").Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    /// <summary>Runs each parse, collecting every field's error before throwing them together.</summary>
    public static void All(params Action[] parses)
    {
        ArgumentNullException.ThrowIfNull(parses);
        var errors = new List<FieldError>();
        foreach (var parse in parses)
        {
            try
            {
                parse();
            }
            catch (DomainValidationException ex)
            {
                errors.AddRange(ex.Errors);
            }
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }
    }
}
