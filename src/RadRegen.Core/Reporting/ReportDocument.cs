namespace RadRegen.Core.Reporting;

/// <summary>
/// A printable report as the domain states it — what it says, not how it looks. Modules build one
/// (a certificate of analysis, a dose-assessment report, an after-action report, a readiness summary) and
/// an <see cref="IReportRenderer"/> turns it into a PDF (ADR 0038). Every text is already in the reader's
/// language; <see cref="Language"/> tells the renderer which fonts can draw it.
/// </summary>
/// <param name="Title">The report's title, on every page.</param>
/// <param name="Sections">The body, in order.</param>
public sealed record ReportDocument(string Title, IReadOnlyList<ReportSection> Sections)
{
    /// <summary>A second line under the title (the record it is about).</summary>
    public string? Subtitle { get; init; }

    /// <summary>BCP 47 language of the texts ("en", "ja").</summary>
    public string Language { get; init; } = "en";

    /// <summary>Who issued it (the center's name), printed in the footer.</summary>
    public string? Issuer { get; init; }

    /// <summary>When it was generated, printed in the footer in <see cref="GeneratedAtText"/>'s form.</summary>
    public DateTimeOffset GeneratedAt { get; init; }

    /// <summary>The generation time as the reader should see it (the center's zone, named); the renderer prints it as given.</summary>
    public string? GeneratedAtText { get; init; }

    /// <summary>A marking printed on every page (e.g. "DRILL — not a real patient").</summary>
    public string? Banner { get; init; }
}

/// <summary>A headed part of a report.</summary>
public sealed record ReportSection(string Heading, IReadOnlyList<ReportBlock> Blocks);

/// <summary>One element of a section.</summary>
public abstract record ReportBlock;

/// <summary>Running text.</summary>
public sealed record ReportParagraph(string Text) : ReportBlock;

/// <summary>Label–value pairs (identity of a lot, a patient, a shipment).</summary>
public sealed record ReportFacts(IReadOnlyList<ReportFact> Facts) : ReportBlock;

/// <summary>One label and its value.</summary>
public sealed record ReportFact(string Label, string Value);

/// <summary>A table; each row has one cell per column.</summary>
public sealed record ReportTable(IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows) : ReportBlock
{
    /// <summary>A caption under the table (its source, units).</summary>
    public string? Caption { get; init; }
}

/// <summary>An electronic signature as 21 CFR 11.50 requires it to be shown: who, when, and what it means.</summary>
public sealed record ReportSignature(string SignedBy, string Meaning, string SignedAtText) : ReportBlock
{
    /// <summary>The signature record's reference (e.g. "e-signature #12").</summary>
    public string? Reference { get; init; }
}

/// <summary>A 2-D code (QR) carrying <see cref="Payload"/>, with its text printed under it.</summary>
public sealed record ReportCode(string Payload, string Caption) : ReportBlock;

/// <summary>A line chart: one or more series over shared x labels (days, months).</summary>
public sealed record ReportLineChart(string Title, IReadOnlyList<string> XLabels, IReadOnlyList<ReportSeries> Series) : ReportBlock
{
    /// <summary>The y axis's label with its unit.</summary>
    public string? YLabel { get; init; }
}

/// <summary>A named series of values, one per x label.</summary>
public sealed record ReportSeries(string Name, IReadOnlyList<double> Values);

/// <summary>
/// A sheet of equal labels (vial labels), laid out in a grid of <see cref="WidthMm"/> × <see cref="HeightMm"/>
/// cells with cut lines; each label has eye-readable lines beside its 2-D code.
/// </summary>
public sealed record ReportLabelSheet(double WidthMm, double HeightMm, IReadOnlyList<ReportLabel> Labels) : ReportBlock;

/// <summary>One label: its lines (the first one bold) and the 2-D code's content.</summary>
public sealed record ReportLabel(IReadOnlyList<string> Lines, string CodePayload);
