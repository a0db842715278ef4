using Hl7.Fhir.Model;

namespace RadRegen.Fhir;

/// <summary>One problem to report: its kind, what is wrong, and where (FHIRPath: <c>Bundle.entry[3].resource.subject</c>).</summary>
public sealed record FhirIssue(OperationOutcome.IssueType Code, string Diagnostics, string? Expression = null);

/// <summary>
/// A refusal on <c>/fhir</c>, answered as an OperationOutcome with <see cref="Status"/> (ADR 0037):
/// 400 invalid resource or search, 404 unknown type or id, 405 an interaction we do not offer,
/// 415 a body that is not FHIR JSON, 422 a validation failure of our rules.
/// </summary>
public sealed class FhirException : Exception
{
    public FhirException(int status, IReadOnlyList<FhirIssue> issues)
        : base(string.Join("; ", (issues ?? []).Select(i => i.Expression is null ? i.Diagnostics : $"{i.Expression}: {i.Diagnostics}")))
    {
        Status = status;
        Issues = issues ?? [];
    }

    public FhirException() : this(500, []) { }

    public FhirException(string message) : this(400, [new FhirIssue(OperationOutcome.IssueType.Invalid, message)]) { }

    public FhirException(string message, Exception inner) : base(message, inner)
    {
        Status = 500;
        Issues = [new FhirIssue(OperationOutcome.IssueType.Exception, message)];
    }

    public int Status { get; }

    public IReadOnlyList<FhirIssue> Issues { get; }

    public static FhirException Invalid(string message, string? expression, OperationOutcome.IssueType code = OperationOutcome.IssueType.Invalid) =>
        new(400, [new FhirIssue(code, message, expression)]);

    public static FhirException NotFound(string message) => new(404, [new FhirIssue(OperationOutcome.IssueType.NotFound, message)]);

    public static FhirException NotSupported(int status, string message) => new(status, [new FhirIssue(OperationOutcome.IssueType.NotSupported, message)]);
}
