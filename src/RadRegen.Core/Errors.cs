namespace RadRegen.Core;

/// <summary>One field of bad input and what is wrong with it.</summary>
/// <param name="Field">The field as the person or file knows it (<c>password</c>, <c>row 4: dose</c>).</param>
/// <param name="Message">What is wrong, in a sentence a person can act on.</param>
public sealed record FieldError(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}

/// <summary>Bad input: one or more fields are wrong. Web: 400 problem details; CLI: exit 1.</summary>
public sealed class DomainValidationException : Exception
{
    public DomainValidationException(IReadOnlyList<FieldError> errors)
        : base(string.Join("; ", errors.Select(e => e.ToString())))
    {
        Errors = errors;
    }

    public DomainValidationException(string field, string message) : this([new FieldError(field, message)]) { }

    public DomainValidationException() : this("input", "is not valid") { }

    public DomainValidationException(string message) : this("input", message) { }

    public DomainValidationException(string message, Exception inner) : base(message, inner)
    {
        Errors = [new FieldError("input", message)];
    }

    public IReadOnlyList<FieldError> Errors { get; }
}

/// <summary>The actor may not do this. Web: 403 (a <see cref="Access.TooManyAttemptsException"/>, 429).</summary>
public class ForbiddenException : Exception
{
    public ForbiddenException(string message) : base(message) { }

    public ForbiddenException() { }

    public ForbiddenException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>No record with that identity. Web: 404.</summary>
public sealed class NotFoundException : Exception
{
    public NotFoundException(string message) : base(message) { }

    public NotFoundException() { }

    public NotFoundException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>The record changed under the caller (stale version, taken vial, occupied position). Web: 409.</summary>
public sealed class ConflictException : Exception
{
    public ConflictException(string message) : base(message) { }

    public ConflictException() { }

    public ConflictException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>A rule of the domain refuses the action (release without results). Web: 422.</summary>
public sealed class RuleViolationException : Exception
{
    public RuleViolationException(string message) : base(message) { }

    public RuleViolationException() { }

    public RuleViolationException(string message, Exception inner) : base(message, inner) { }
}
