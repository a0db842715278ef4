namespace RadRegen.Dosimetry;

/// <summary>
/// Bad input to a dosimetry calculation: a malformed count table, a curve without covariance, a
/// sign outside its scale. <see cref="Field"/> names where the problem is (for example
/// <c>counts.csv row 4: C2</c>) so that the message can be shown to a person as it is.
/// </summary>
public sealed class DosimetryInputException : Exception
{
    /// <summary>Creates the exception for one field.</summary>
    /// <param name="field">Where: file, row and column or the parameter name.</param>
    /// <param name="message">What is wrong, in a sentence a person can act on.</param>
    public DosimetryInputException(string field, string message)
        : base($"{field}: {message}")
    {
        Field = field;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public DosimetryInputException(string message) : base(message)
    {
        Field = "input";
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public DosimetryInputException(string message, Exception inner) : base(message, inner)
    {
        Field = "input";
    }

    /// <summary>Creates the exception without details.</summary>
    public DosimetryInputException() : this("input", "is not valid") { }

    /// <summary>The field the message refers to.</summary>
    public string Field { get; }
}
