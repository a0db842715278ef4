namespace RadRegen.Core.Reporting;

/// <summary>Turns a <see cref="ReportDocument"/> into a printable file (PDF, ADR 0038).</summary>
public interface IReportRenderer
{
    /// <summary>The media type of what <see cref="Render"/> returns ("application/pdf").</summary>
    string ContentType { get; }

    /// <summary>The document, rendered; the same document gives the same content.</summary>
    byte[] Render(ReportDocument document);
}
