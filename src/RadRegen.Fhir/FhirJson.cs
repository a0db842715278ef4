using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Utility;

namespace RadRegen.Fhir;

/// <summary>
/// FHIR JSON in and out with the Firely SDK's System.Text.Json converters. Reading is strict (the
/// SDK's default mode): an unknown element, a wrong type or a malformed value is an error the
/// caller names in an OperationOutcome, never silently dropped.
/// </summary>
public static class FhirJson
{
    /// <summary>The FHIR JSON media type (R4 http.html#mime-type).</summary>
    public const string MediaType = "application/fhir+json";

    // Built once; JsonSerializerOptions is immutable after first use.
    private static readonly JsonSerializerOptions Options = new JsonSerializerOptions().ForFhir();

    public static string Serialize(Resource resource) => JsonSerializer.Serialize(resource, Options);

    /// <summary>Reads a resource; throws <see cref="FhirException"/> (400, each problem an issue) when the text is not a valid FHIR R4 resource.</summary>
    public static Resource Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonSerializer.Deserialize<Resource>(json, Options) ?? throw FhirException.Invalid("the body holds no resource", null);
        }
        catch (DeserializationFailedException ex)
        {
            throw new FhirException(400, [.. ex.Exceptions.Select(e => new FhirIssue(OperationOutcome.IssueType.Structure, e.Message, Location(e)))]);
        }
        catch (JsonException ex)
        {
            throw FhirException.Invalid($"the body is not JSON: {ex.Message}", null, OperationOutcome.IssueType.Structure);
        }
    }

    private static string? Location(CodedException e) => e is ExtendedCodedException { InstancePath: { Length: > 0 } path } ? path : null;
}
