using System.Diagnostics;
using Firely.Fhir.Validation;
using Hl7.Fhir.ElementModel;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Specification;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;

namespace RadRegen.Fhir.Tests;

/// <summary>
/// The Firely validator over the base R4 profiles of the LOCAL specification.zip (NuGet package
/// Hl7.Fhir.Specification.Data.R4, copied beside the tests): no network. Loading it is slow, so one
/// instance serves the whole collection (<see cref="FhirValidationCollection"/>).
/// </summary>
public sealed class FhirValidation
{
    public FhirValidation()
    {
        var clock = Stopwatch.StartNew();
        var zip = Path.Combine(AppContext.BaseDirectory, "specification.zip");
        Assert.True(File.Exists(zip), $"the R4 specification.zip is not beside the tests ({zip})");
        var resolver = new CachedResolver(ZipSource.CreateValidationSource(zip));
        _summaries = new StructureDefinitionSummaryProvider(resolver);
        Validator = new Validator(resolver, new LocalTerminologyService(resolver));
        // The first validation compiles the schemas: warm up once here, so the tests measure themselves.
        _ = Validator.Validate(new Patient { Id = "warm-up" });
        LoadTime = clock.Elapsed;
    }

    private readonly StructureDefinitionSummaryProvider _summaries;

    public Validator Validator { get; }

    public TimeSpan LoadTime { get; }

    /// <summary>The issues of severity error or fatal the validator reports for <paramref name="resource"/> against the base profile of its type.</summary>
    public IReadOnlyList<string> Errors(Resource resource)
    {
        var outcome = Validate(resource);
        return [.. outcome.Issue
            .Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal)
            .Select(i => $"{i.Severity} {i.Code} at {string.Join(",", i.Expression)}: {i.Details?.Text ?? i.Diagnostics}")];
    }

    /// <summary>Every issue (any severity), for a failure message.</summary>
    public IReadOnlyList<string> All(Resource resource) =>
        [.. Validate(resource).Issue.Select(i => $"{i.Severity} {i.Code} at {string.Join(",", i.Expression)}: {i.Details?.Text ?? i.Diagnostics}")];

    /// <summary>
    /// Validates the resource as a client receives it: its JSON, read against the R4 structure
    /// definitions. (Validating the POCO itself reports the SDK's shared Bundle.link.relation and
    /// CapabilityStatement.implementation.description as code/markdown, the R5 types, against R4's
    /// string — a property of the SDK's POCOs, not of the JSON we send.)
    /// </summary>
    public OperationOutcome Validate(Resource resource)
    {
        var node = FhirJsonNode.Parse(FhirJson.Serialize(resource)).ToTypedElement(_summaries);
        return Validator.Validate(ElementNode.FromElement(node));
    }

    /// <summary>Asserts that <paramref name="resource"/> validates with zero errors.</summary>
    public void Valid(Resource resource)
    {
        var errors = Errors(resource);
        Assert.True(errors.Count == 0, $"{resource.TypeName}/{resource.Id}: {errors.Count} errors\n" + string.Join("\n", errors)
            + "\n" + FhirJson.Serialize(resource));
    }
}

[CollectionDefinition(Name)]
public sealed class FhirValidationCollection : ICollectionFixture<FhirValidation>
{
    public const string Name = "FHIR validation";
}
