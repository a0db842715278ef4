using Hl7.Fhir.Model;
using RadRegen.Core;

namespace RadRegen.Fhir;

/// <summary>
/// Every error on <c>/fhir</c> as an OperationOutcome with its HTTP status (ADR 0037): our own
/// refusals (<see cref="FhirException"/>) and the domain's exceptions, mapped as the API maps them
/// to problem details (400 field errors, 403, 404, 409, 422), and a request that is not signed in (401).
/// </summary>
public static class FhirOutcome
{
    /// <summary>The status and outcome for <paramref name="exception"/>, or null for an unexpected one (the host answers 500).</summary>
    public static (int Status, OperationOutcome Outcome)? From(Exception exception) => exception switch
    {
        FhirException f => (f.Status, Outcome(f.Issues)),
        DomainValidationException v => (400, Outcome([.. v.Errors.Select(e => new FhirIssue(OperationOutcome.IssueType.Invalid, $"{e.Field}: {e.Message}", e.Field))])),
        ForbiddenException x => (403, Outcome([new FhirIssue(OperationOutcome.IssueType.Forbidden, x.Message)])),
        NotFoundException x => (404, Outcome([new FhirIssue(OperationOutcome.IssueType.NotFound, x.Message)])),
        ConflictException x => (409, Outcome([new FhirIssue(OperationOutcome.IssueType.Conflict, x.Message)])),
        RuleViolationException x => (422, Outcome([new FhirIssue(OperationOutcome.IssueType.BusinessRule, x.Message)])),
        _ => null,
    };

    /// <summary>An outcome of error issues.</summary>
    public static OperationOutcome Outcome(IReadOnlyList<FhirIssue> issues)
    {
        ArgumentNullException.ThrowIfNull(issues);
        return new OperationOutcome
        {
            Issue = [.. issues.Select(i => new OperationOutcome.IssueComponent
            {
                Severity = OperationOutcome.IssueSeverity.Error,
                Code = i.Code,
                Diagnostics = i.Diagnostics,
                Expression = i.Expression is null ? [] : [i.Expression],
            })],
        };
    }

    /// <summary>The outcome of a request without a session or a valid token (401): how to sign in.</summary>
    public static OperationOutcome NotSignedIn() => Outcome([new FhirIssue(OperationOutcome.IssueType.Login,
        "not signed in: send a valid API token (Authorization: Bearer …) or sign in at /login")]);

    /// <summary>The outcome of a request refused for its credentials' sake before any endpoint (the anti-forgery header missing).</summary>
    public static OperationOutcome Security(string diagnostics) => Outcome([new FhirIssue(OperationOutcome.IssueType.Security, diagnostics)]);

    /// <summary>The outcome of a server error: nothing saved, the trace id to quote.</summary>
    public static OperationOutcome Unexpected(string traceId) => Outcome([new FhirIssue(OperationOutcome.IssueType.Exception,
        $"an unexpected error occurred; nothing was saved. Tell an administrator the trace id {traceId}")]);
}
