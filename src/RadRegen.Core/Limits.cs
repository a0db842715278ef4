namespace RadRegen.Core;

/// <summary>A maximum length for one kind of text field, and why it is that length.</summary>
/// <param name="Kind">What kind of text this is (<c>title</c>, <c>free text</c>).</param>
/// <param name="MaxLength">The most characters (UTF-16 code units, as .NET and both databases count them) the field may hold.</param>
/// <param name="Reason">Why the limit is what it is, for docs/security.md "Limits".</param>
public sealed record TextLimit(string Kind, int MaxLength, string Reason);

/// <summary>A maximum number of items in one list of an input record, and why.</summary>
public sealed record CountLimit(string Kind, int MaxCount, string Reason);

/// <summary>
/// The one set of size limits on what a person or a machine may send (issue 12 item 8: a 10 MB
/// incident title was stored, in the journal too; 200,000 radionuclides were accepted; paging
/// overflowed). Every service validates its input records against these named limits through
/// <see cref="InputLimits"/> (a <see cref="DomainValidationException"/> naming the field and the
/// limit); the web host adds request body limits per route group and the paging rule of
/// <see cref="Paging"/>. docs/security.md "Limits" lists them with their reasons.
/// </summary>
public static class Limits
{
    /// <summary>Codes, names, user names, display names, places, nuclides, product and location names.</summary>
    public static readonly TextLimit ShortName = new("short name", 200,
        "codes and names are shown in tables, queues and labels; 200 characters is several times the longest real one");

    /// <summary>Titles, e-signature meanings.</summary>
    public static readonly TextLimit Title = new("title", 500, "a title or a signature meaning is one sentence shown in a heading or the journal");

    /// <summary>Reasons, notes, comments, descriptions: what a person writes in a text box.</summary>
    public static readonly TextLimit FreeText = new("free text", 4_000,
        "a reason or a note is a paragraph a person types; every change journals it, so it is kept in the hash chain for ever");

    /// <summary>A bank lot number (given, or <c>L</c> + the DIN).</summary>
    public static readonly TextLimit LotNumber = new("lot number", 40,
        "a lot number is printed on every vial label beside the DIN and product code (ISBT 128 labels), and typed or scanned at the bench");

    /// <summary>An HLA typing as a GL String.</summary>
    public static readonly TextLimit GlString = new("GL String", 10_000,
        "a GL String of a typing with ambiguities at every locus fits in a few thousand characters (GL String 1.1, Milius et al. 2013)");

    /// <summary>The longest text any field accepts: the ceiling the API's JSON reader holds every string to, before a service checks its own field.</summary>
    public static readonly TextLimit LongestText = new("text", 10_000,
        "no field accepts more than a GL String; a longer text in any JSON body or CSV cell is refused before any field rule reads it");

    /// <summary>Short lists in a record (radionuclides of an incident, tags).</summary>
    public static readonly CountLimit ShortList = new("short list", 100,
        "a record's list (radionuclides of an incident) is read by a person; no real event involves more than a few dozen");

    /// <summary>Rows of one CSV import (victims, observations, inventory).</summary>
    public static readonly CountLimit ImportRows = new("import rows", 2_000_000,
        "a mass-casualty import of 100,000 victims is the benchmark (docs/performance.md); with the drill's ten observation rows per victim over ten days that is 1,000,000 rows (57.5 MB), and twice that stays under the 128 MB import body");

    /// <summary>Observations of one patient returned by the patient API (the newest; the count says how many there are).</summary>
    public static readonly CountLimit PatientObservations = new("observations per patient response", 2_000,
        "an assessment over weeks has a few hundred observations; one patient's response reached 119 MB without a cap");

    /// <summary>Every text limit, for the docs and their test.</summary>
    public static IReadOnlyList<TextLimit> Texts { get; } = [ShortName, Title, FreeText, LotNumber, GlString, LongestText];

    /// <summary>Every count limit, for the docs and their test.</summary>
    public static IReadOnlyList<CountLimit> Counts { get; } = [ShortList, ImportRows, PatientObservations, Paging.PageSizeLimit];
}

/// <summary>
/// Collects the limit violations of one input record, so a record with several too-long fields is
/// refused once, naming each field. Use: <c>new InputLimits().Text("title", x.Title, Limits.Title)…ThrowIfAny()</c>,
/// or pass an existing error list so limits join the record's other field errors.
/// </summary>
public sealed class InputLimits(List<FieldError>? errors = null)
{
    private readonly List<FieldError> errors = errors ?? [];

    public IReadOnlyList<FieldError> Errors => errors;

    /// <summary>Refuses <paramref name="value"/> (null is fine: required-ness is the record's own rule) when longer than <paramref name="limit"/>.</summary>
    public InputLimits Text(string field, string? value, TextLimit limit)
    {
        ArgumentNullException.ThrowIfNull(limit);
        if (value is not null && value.Length > limit.MaxLength)
        {
            errors.Add(new FieldError(field, TooLong(value.Length, limit)));
        }

        return this;
    }

    /// <summary>Refuses a list with more than <paramref name="limit"/> items, and each item longer than <paramref name="itemLimit"/> (named <c>field[i]</c>).</summary>
    public InputLimits List(string field, IReadOnlyCollection<string>? values, CountLimit limit, TextLimit? itemLimit = null)
    {
        ArgumentNullException.ThrowIfNull(limit);
        if (values is null)
        {
            return this;
        }

        if (values.Count > limit.MaxCount)
        {
            errors.Add(new FieldError(field, TooMany(values.Count, limit)));
            return this; // one error, not one per item of 200,000
        }

        if (itemLimit is not null)
        {
            var i = 0;
            foreach (var value in values)
            {
                Text($"{field}[{i++}]", value, itemLimit);
            }
        }

        return this;
    }

    /// <summary>Refuses a count (rows of a file) above <paramref name="limit"/>.</summary>
    public InputLimits Count(string field, long count, CountLimit limit)
    {
        ArgumentNullException.ThrowIfNull(limit);
        if (count > limit.MaxCount)
        {
            errors.Add(new FieldError(field, TooMany(count, limit)));
        }

        return this;
    }

    /// <summary>Throws one <see cref="DomainValidationException"/> naming every field over its limit.</summary>
    public void ThrowIfAny()
    {
        if (errors.Count > 0)
        {
            throw new DomainValidationException([.. errors]);
        }
    }

    public static string TooLong(int length, TextLimit limit)
    {
        ArgumentNullException.ThrowIfNull(limit);
        return $"is {length:N0} characters; a {limit.Kind} may hold at most {limit.MaxLength:N0}";
    }

    public static string TooMany(long count, CountLimit limit)
    {
        ArgumentNullException.ThrowIfNull(limit);
        return $"has {count:N0} items; at most {limit.MaxCount:N0} are accepted ({limit.Kind})";
    }
}

/// <summary>
/// The paging rule of every paged query (the journal, the inventory): <c>page</c> ≥ 1 and
/// <c>pageSize</c> 1–500, the offset computed in 64 bits so no page number can wrap to a negative
/// offset (<c>page=100000000</c> returned the newest entries: (page − 1) × size overflowed
/// <see cref="int"/> and SQLite reads a negative OFFSET as none). A page past the end is empty, with the total.
/// </summary>
public static class Paging
{
    public static readonly CountLimit PageSizeLimit = new("page size", 500,
        "a page is shown or sent whole; 500 rows keeps a response small, and an export walks the pages");

    /// <summary>Refuses a page below 1 or a page size outside 1–500, naming the field.</summary>
    public static void Validate(int page, int pageSize)
    {
        var errors = new List<FieldError>();
        if (page < 1)
        {
            errors.Add(new FieldError("page", "must be 1 or more (pages start at 1)"));
        }

        if (pageSize < 1 || pageSize > PageSizeLimit.MaxCount)
        {
            errors.Add(new FieldError("pageSize", $"must be between 1 and {PageSizeLimit.MaxCount}"));
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }
    }

    /// <summary>The rows to skip before <paramref name="page"/>: 64-bit, so int.MaxValue × 500 still fits.</summary>
    public static long Offset(int page, int pageSize) => (Math.Max(1L, page) - 1) * Math.Max(1L, pageSize);
}
