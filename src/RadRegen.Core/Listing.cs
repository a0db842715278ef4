namespace RadRegen.Core;

/// <summary>
/// What a person asks of a list that grows (donors, lines, lots, vials, patients, the journal): a text to
/// search for, a page, a page size, and a sort. The one way lists are searched, paged and sorted (ADR 0040):
/// pages, the API (<c>q</c>, <c>page</c>, <c>pageSize</c>, <c>sort</c>) and the stores all read this record.
/// </summary>
/// <param name="Search">Text to find (case-insensitive, anywhere in the list's searchable columns); null or blank for all.</param>
/// <param name="Page">1-based page.</param>
/// <param name="PageSize">Rows per page (1–<see cref="Paging.PageSizeLimit"/>).</param>
/// <param name="Sort">A sort key of the list (<see cref="SortOrder"/>), "-" in front for descending; null for the list's default.</param>
public sealed record ListQuery(string? Search = null, int Page = 1, int PageSize = ListQuery.DefaultPageSize, string? Sort = null)
{
    /// <summary>Rows per page when none is asked for: a screen's worth.</summary>
    public const int DefaultPageSize = 50;

    /// <summary>The search text trimmed, or null when there is none.</summary>
    public string? Text => string.IsNullOrWhiteSpace(Search) ? null : Search.Trim();

    /// <summary>The rows to skip (64-bit, <see cref="Paging.Offset"/>).</summary>
    public long Offset => Paging.Offset(Page, PageSize);

    /// <summary>
    /// Refuses a page, page size, search text or sort key outside the rules, naming the field (<c>page</c>,
    /// <c>pageSize</c>, <c>q</c>, <c>sort</c>), and gives the sort to use.
    /// </summary>
    public SortOrder Validate(SortKeys keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var errors = new List<FieldError>();
        try
        {
            Paging.Validate(Page, PageSize);
        }
        catch (DomainValidationException ex)
        {
            errors.AddRange(ex.Errors);
        }

        if (Search is { Length: > 0 } s && s.Length > Limits.ShortName.MaxLength)
        {
            errors.Add(new FieldError("q", $"must be at most {Limits.ShortName.MaxLength} characters"));
        }

        var order = keys.Parse(Sort, out var sortError);
        if (sortError is not null)
        {
            errors.Add(new FieldError("sort", sortError));
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        return order!;
    }
}

/// <summary>A sort a list accepts: one of its keys, ascending or descending.</summary>
public sealed record SortOrder(string Key, bool Descending)
{
    /// <summary>As written in a query string: the key, "-" in front when descending.</summary>
    public override string ToString() => (Descending ? "-" : "") + Key;
}

/// <summary>
/// The keys a list may be sorted by (a whitelist: a store maps each to a column it names itself, so no
/// text from a request ever reaches SQL) and its default order.
/// </summary>
public sealed class SortKeys
{
    private readonly HashSet<string> _keys;

    /// <summary>The keys in the order a page shows them; <paramref name="defaultOrder"/> must be one of them.</summary>
    public SortKeys(SortOrder defaultOrder, params string[] keys)
    {
        ArgumentNullException.ThrowIfNull(defaultOrder);
        _keys = new HashSet<string>(keys, StringComparer.Ordinal);
        if (!_keys.Contains(defaultOrder.Key))
        {
            throw new ArgumentException($"the default sort {defaultOrder.Key} is not among the keys", nameof(defaultOrder));
        }

        Default = defaultOrder;
        Keys = keys;
    }

    /// <summary>The order when none is asked for.</summary>
    public SortOrder Default { get; }

    /// <summary>Every key, in display order.</summary>
    public IReadOnlyList<string> Keys { get; }

    /// <summary>
    /// The order <paramref name="sort"/> names, or the default for none; an unknown key is refused naming
    /// the field <c>sort</c> (for lists whose filters are not a <see cref="ListQuery"/>: the vials, the journal).
    /// </summary>
    public SortOrder Require(string? sort) =>
        Parse(sort, out var error) ?? throw new DomainValidationException("sort", error!);

    /// <summary>The order <paramref name="sort"/> names, or the default for none; an error text for an unknown key.</summary>
    public SortOrder? Parse(string? sort, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(sort))
        {
            return Default;
        }

        var descending = sort.StartsWith('-');
        var key = descending ? sort[1..] : sort;
        if (_keys.Contains(key))
        {
            return new SortOrder(key, descending);
        }

        error = $"'{(sort.Length > 40 ? sort[..40] + "…" : sort)}' is not a sort of this list; use one of {string.Join(", ", Keys)} (\"-\" in front for descending)";
        return null;
    }
}

/// <summary>One page of a list and where it stands in the whole.</summary>
public sealed record ListPage<T>(IReadOnlyList<T> Items, long Total, int Page, int PageSize, string Sort)
{
    /// <summary>How many pages the whole list has (at least 1).</summary>
    public long Pages => Math.Max(1, (Total + PageSize - 1) / Math.Max(1, PageSize));

    /// <summary>The same page with the items mapped.</summary>
    public ListPage<TOut> Map<TOut>(Func<T, TOut> map) => new([.. Items.Select(map)], Total, Page, PageSize, Sort);
}
