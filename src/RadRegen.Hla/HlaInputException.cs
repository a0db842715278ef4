using System.Text;

namespace RadRegen.Hla;

/// <summary>
/// Bad HLA input: a malformed name or GL String, an unknown locus, a bad frequency, an empty file.
/// The message names where the problem is (file, row, field, token and character position, as far
/// as they are known) so that a person can fix the input; nothing is returned as a result.
/// </summary>
public sealed class HlaInputException : FormatException
{
    /// <summary>Bad HLA input, without details of where.</summary>
    public HlaInputException() : this("invalid HLA input") { }

    /// <summary>Bad HLA input described by <paramref name="message"/>, which is also the <see cref="Reason"/>.</summary>
    /// <param name="message">What is wrong, for the person who supplied the input.</param>
    public HlaInputException(string message) : base(message) => Reason = message;

    /// <summary>Bad HLA input found while reading something that itself failed (<paramref name="innerException"/>).</summary>
    /// <param name="message">What is wrong, for the person who supplied the input; also the <see cref="Reason"/>.</param>
    /// <param name="innerException">The underlying failure.</param>
    public HlaInputException(string message, Exception innerException) : base(message, innerException) => Reason = message;

    private HlaInputException(string reason, string? source, int? row, string? field, string? token, int? position, Exception? inner)
        : base(Compose(reason, source, row, field, token, position), inner)
    {
        Reason = reason;
        FileName = source;
        Row = row;
        Field = field;
        Token = token;
        Position = position;
    }

    /// <summary>What is wrong, without the location.</summary>
    public string Reason { get; }

    /// <summary>The file or input the problem was found in, when known.</summary>
    public string? FileName { get; }

    /// <summary>1-based row (line) of the file, when known.</summary>
    public int? Row { get; }

    /// <summary>The field (column) name, when known.</summary>
    public string? Field { get; }

    /// <summary>The offending token, when known.</summary>
    public string? Token { get; }

    /// <summary>0-based character position of the token in its string, when known.</summary>
    public int? Position { get; }

    /// <summary>Creates an exception for a problem in a token of a string.</summary>
    public static HlaInputException AtToken(string reason, string token, int position) =>
        new(reason, null, null, null, token, position, null);

    /// <summary>Creates an exception at a file, row and field.</summary>
    public static HlaInputException At(string reason, string? source, int? row = null, string? field = null) =>
        new(reason, source, row, field, null, null, null);

    /// <summary>Returns a copy of this exception located in a file, row and field.</summary>
    public HlaInputException InFile(string? source, int? row, string? field) =>
        new(Reason, source ?? FileName, row ?? Row, field ?? Field, Token, Position, this);

    private static string Compose(string reason, string? source, int? row, string? field, string? token, int? position)
    {
        var sb = new StringBuilder();
        if (source is not null)
        {
            sb.Append(source);
        }

        if (row is not null)
        {
            sb.Append(sb.Length > 0 ? ", " : string.Empty).Append("row ").Append(row.Value);
        }

        if (field is not null)
        {
            sb.Append(sb.Length > 0 ? ", " : string.Empty).Append("field '").Append(field).Append('\'');
        }

        if (token is not null)
        {
            sb.Append(sb.Length > 0 ? ", " : string.Empty).Append("token '").Append(token).Append('\'');
            if (position is not null)
            {
                sb.Append(" at position ").Append(position.Value);
            }
        }

        return sb.Length > 0 ? $"{sb}: {reason}" : reason;
    }
}
