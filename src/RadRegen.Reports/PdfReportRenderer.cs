using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using RadRegen.Core.Reporting;

namespace RadRegen.Reports;

/// <summary>
/// Draws a <see cref="ReportDocument"/> as an A4 PDF with PDFsharp 6.2.4 (ADR 0038): the title (and
/// subtitle and banner) on every page, sections of paragraphs, label–value facts, tables whose cells wrap
/// and whose header row repeats after a page break, e-signatures with their meaning (21 CFR 11.50),
/// QR codes, line charts and label sheets; a footer with the issuer, the generation time and "page N of M".
/// Stateless: every call lays out its own document, so one instance serves every request.
/// </summary>
public sealed partial class PdfReportRenderer : IReportRenderer
{
    /// <inheritdoc />
    public string ContentType => "application/pdf";

    /// <inheritdoc />
    public byte[] Render(ReportDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        ReportFonts.Install();
        using var pdf = new PdfDocument();
        pdf.Language = document.Language;
        pdf.Info.Title = document.Title;
        if (document.Subtitle is not null)
        {
            pdf.Info.Subject = document.Subtitle;
        }

        if (document.Issuer is not null)
        {
            pdf.Info.Author = document.Issuer;
        }

        pdf.Info.Creator = "RadRegen";
        // Same document, same bytes: the dates come from the document, not the clock, and the file
        // identifier is a hash of the document instead of PDFsharp's random GUID.
        var created = document.GeneratedAt == default ? DateTime.UnixEpoch : document.GeneratedAt.UtcDateTime;
        pdf.Info.CreationDate = created;
        pdf.Info.ModificationDate = created;
        var id = DocumentId(document);
        var idText = new string([.. id.Select(b => (char)b)]);
        pdf.Internals.FirstDocumentID = idText;
        pdf.Internals.SecondDocumentID = idText;

        new Layout(pdf, document).Draw();

        using var stream = new MemoryStream();
        pdf.Save(stream, false);
        return Stabilise(stream.ToArray(), new Guid(id));
    }

    /// <summary>
    /// Makes the bytes depend on the document alone. PDFsharp puts two kinds of randomness in a file:
    /// each embedded font subset's tag of six capital letters (from a new GUID, PdfFont.CreateEmbeddedFontSubsetName)
    /// and the XMP metadata's xmpMM:DocumentID and xmpMM:InstanceID (new GUIDs). The PDF specification
    /// (ISO 32000-1 §9.6.4) asks only that different subsets in one file have different tags, so the tags
    /// become RRAAAA, RRAAAB, … in order of first appearance; the XMP identifiers become the document's own
    /// identifier. Every replacement has the length of what it replaces, so no offset in the file moves.
    /// </summary>
    internal static byte[] Stabilise(byte[] pdf, Guid id)
    {
        var text = Encoding.Latin1.GetString(pdf);
        var builder = new StringBuilder(text);
        var tags = SubsetTag().Matches(text).Select(m => m.Groups["tag"].Value).Distinct(StringComparer.Ordinal).ToList();
        for (var i = 0; i < tags.Count; i++)
        {
            var stable = new string(['R', 'R', (char)('A' + i / 26 / 26 % 26), (char)('A' + i / 26 % 26), (char)('A' + i % 26), 'A']);
            builder.Replace($"/{tags[i]}+", $"/{stable}+");
        }

        foreach (Match match in XmpId().Matches(text))
        {
            builder.Replace(match.Value, $"{match.Groups["open"].Value}{id:D}");
        }

        return Encoding.Latin1.GetBytes(builder.ToString());
    }

    [GeneratedRegex(@"/(?:BaseFont|FontName)\s*/(?<tag>[A-Z]{6})\+", RegexOptions.CultureInvariant)]
    private static partial Regex SubsetTag();

    [GeneratedRegex(@"(?<open><xmpMM:(?:DocumentID|InstanceID)>uuid:)[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", RegexOptions.CultureInvariant)]
    private static partial Regex XmpId();

    private static readonly JsonSerializerOptions IdJson = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>The file's identifier: 16 bytes of SHA-256 over the document's content.</summary>
    private static byte[] DocumentId(ReportDocument document)
    {
        var text = new StringBuilder();
        text.Append(document.Title).Append('\u001f').Append(document.Subtitle).Append('\u001f').Append(document.Language)
            .Append('\u001f').Append(document.Issuer).Append('\u001f').Append(document.GeneratedAt.ToString("O", CultureInfo.InvariantCulture))
            .Append('\u001f').Append(document.GeneratedAtText).Append('\u001f').Append(document.Banner);
        foreach (var section in document.Sections)
        {
            text.Append('\u001e').Append(section.Heading);
            foreach (var block in section.Blocks)
            {
                text.Append('\u001d').Append(block.GetType().Name).Append(JsonSerializer.Serialize(block, block.GetType(), IdJson));
            }
        }

        return SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))[..16];
    }
}

/// <summary>One rendering: the pages drawn so far and the cursor on the current one.</summary>
internal sealed class Layout
{
    // A4 in points (ISO 216: 210 × 297 mm; 1 pt = 1/72 in).
    private const double PageWidth = 595.28;
    private const double PageHeight = 841.89;
    private const double MarginLeft = 48;
    private const double MarginRight = 48;
    private const double MarginTop = 40;
    private const double FooterHeight = 40;
    private const double Right = PageWidth - MarginRight;
    private const double Width = PageWidth - MarginLeft - MarginRight;
    private const double Bottom = PageHeight - FooterHeight - 12;
    private const double CellPadding = 3;
    private const double MillimetresToPoints = 72 / 25.4;

    private static readonly XColor Ink = XColor.FromArgb(0x21, 0x25, 0x29);
    private static readonly XColor Muted = XColor.FromArgb(0x5c, 0x63, 0x6a);
    private static readonly XColor Rule = XColor.FromArgb(0xad, 0xb5, 0xbd);
    private static readonly XColor HeaderFill = XColor.FromArgb(0xe9, 0xec, 0xef);
    private static readonly XColor BannerColor = XColor.FromArgb(0xb0, 0x2a, 0x37);
    private static readonly XColor[] SeriesColors =
    [
        XColor.FromArgb(0x0d, 0x6e, 0xfd), XColor.FromArgb(0xdc, 0x35, 0x45), XColor.FromArgb(0x19, 0x87, 0x54),
        XColor.FromArgb(0xfd, 0x7e, 0x14), XColor.FromArgb(0x6f, 0x42, 0xc1), XColor.FromArgb(0x20, 0xc9, 0x97),
    ];

    private readonly PdfDocument pdf;
    private readonly ReportDocument document;
    private readonly Captions captions;
    private readonly XFont title;
    private readonly XFont subtitle;
    private readonly XFont heading;
    private readonly XFont body;
    private readonly XFont bodyBold;
    private readonly XFont small;
    private readonly XFont smallBold;
    private readonly XFont banner;
    private XGraphics? graphics;
    private double y;

    public Layout(PdfDocument pdf, ReportDocument document)
    {
        this.pdf = pdf;
        this.document = document;
        captions = Captions.For(document.Language);
        var family = NeedsJapanese(document) ? ReportFonts.Japanese : ReportFonts.Latin;
        // Unicode encoding: every glyph is addressed by its code point and the PDF carries a ToUnicode map,
        // so Japanese draws at all and text extraction (pdftotext, screen readers) gets the characters back.
        var options = new XPdfFontOptions(PdfFontEncoding.Unicode);
        title = new XFont(family, 15, XFontStyleEx.Bold, options);
        subtitle = new XFont(family, 10, XFontStyleEx.Regular, options);
        heading = new XFont(family, 12, XFontStyleEx.Bold, options);
        body = new XFont(family, 9.5, XFontStyleEx.Regular, options);
        bodyBold = new XFont(family, 9.5, XFontStyleEx.Bold, options);
        small = new XFont(family, 7.5, XFontStyleEx.Regular, options);
        smallBold = new XFont(family, 7.5, XFontStyleEx.Bold, options);
        banner = new XFont(family, 10, XFontStyleEx.Bold, options);
    }

    private XGraphics G => graphics ?? throw new InvalidOperationException("No page is open.");

    public void Draw()
    {
        NewPage();
        foreach (var section in document.Sections)
        {
            DrawSection(section);
        }

        graphics?.Dispose();
        graphics = null;
        DrawFooters();
    }

    /// <summary>Japanese reports, and any report with a CJK character, are drawn in IPAex Gothic (DejaVu has no kanji).</summary>
    internal static bool NeedsJapanese(ReportDocument document) =>
        document.Language.StartsWith("ja", StringComparison.OrdinalIgnoreCase)
        || HasCjk(document.Title) || HasCjk(document.Subtitle) || HasCjk(document.Banner) || HasCjk(document.Issuer)
        || HasCjk(document.GeneratedAtText)
        || document.Sections.Any(s => HasCjk(s.Heading) || s.Blocks.Any(b => Texts(b).Any(HasCjk)));

    private static IEnumerable<string?> Texts(ReportBlock block) => block switch
    {
        ReportParagraph p => [p.Text],
        ReportFacts f => f.Facts.SelectMany(x => new[] { x.Label, x.Value }),
        ReportTable t => t.Columns.Concat(t.Rows.SelectMany(r => r)).Append(t.Caption),
        ReportSignature s => [s.SignedBy, s.Meaning, s.SignedAtText, s.Reference],
        ReportCode c => [c.Caption],
        ReportLineChart c => c.XLabels.Append(c.Title).Append(c.YLabel).Concat(c.Series.Select(s => s.Name)),
        ReportLabelSheet l => l.Labels.SelectMany(x => x.Lines),
        _ => [],
    };

    private static bool HasCjk(string? text) => text is not null && text.Any(IsCjk);

    /// <summary>Hiragana, katakana, CJK ideographs (with extension A and compatibility), full-width forms, CJK punctuation.</summary>
    private static bool IsCjk(char c) =>
        c is >= '\u3000' and <= '\u30ff' or >= '\u3400' and <= '\u4dbf' or >= '\u4e00' and <= '\u9fff'
            or >= '\uf900' and <= '\ufaff' or >= '\uff00' and <= '\uffef';

    // ---- pages

    private void NewPage()
    {
        graphics?.Dispose();
        var page = pdf.AddPage();
        page.Width = XUnit.FromPoint(PageWidth);
        page.Height = XUnit.FromPoint(PageHeight);
        graphics = XGraphics.FromPdfPage(page);
        y = MarginTop;
        if (document.Banner is { Length: > 0 } text)
        {
            var lines = Wrap(text, banner, Width - 12);
            var height = lines.Count * banner.GetHeight() + 8;
            G.DrawRectangle(new XPen(BannerColor, 1.2), new XSolidBrush(XColor.FromArgb(0xf8, 0xd7, 0xda)), MarginLeft, y, Width, height);
            var lineY = y + 4;
            foreach (var line in lines)
            {
                G.DrawString(line, banner, new XSolidBrush(BannerColor), new XRect(MarginLeft, lineY, Width, banner.GetHeight()), XStringFormats.TopCenter);
                lineY += banner.GetHeight();
            }

            y += height + 8;
        }

        DrawLines(document.Title, title, Ink, MarginLeft, Width);
        if (document.Subtitle is { Length: > 0 } sub)
        {
            DrawLines(sub, subtitle, Muted, MarginLeft, Width);
        }

        y += 3;
        G.DrawLine(new XPen(Rule, 0.8), MarginLeft, y, Right, y);
        y += 10;
    }

    /// <summary>Starts a new page when <paramref name="height"/> does not fit below the cursor (and something is on this page).</summary>
    private bool Ensure(double height)
    {
        if (y + height <= Bottom)
        {
            return false;
        }

        NewPage();
        return true;
    }

    private void DrawFooters()
    {
        var count = pdf.PageCount;
        for (var i = 0; i < count; i++)
        {
            using var g = XGraphics.FromPdfPage(pdf.Pages[i], XGraphicsPdfPageOptions.Append);
            var top = PageHeight - FooterHeight;
            g.DrawLine(new XPen(Rule, 0.6), MarginLeft, top, Right, top);
            var brush = new XSolidBrush(Muted);
            var pageText = string.Format(CultureInfo.InvariantCulture, captions.PageOf, i + 1, count);
            var pageWidth = g.MeasureString(pageText, small).Width;
            var left = string.Join(" · ", new[] { document.Issuer, document.GeneratedAtText is { } at ? $"{captions.Generated} {at}" : null }
                .Where(s => !string.IsNullOrEmpty(s)));
            var lineY = top + 5;
            foreach (var line in Wrap(left, small, Width - pageWidth - 16, g))
            {
                g.DrawString(line, small, brush, new XRect(MarginLeft, lineY, Width, small.GetHeight()), XStringFormats.TopLeft);
                lineY += small.GetHeight();
            }

            g.DrawString(pageText, small, brush, new XRect(MarginLeft, top + 5, Width, small.GetHeight()), XStringFormats.TopRight);
        }
    }

    // ---- blocks

    private void DrawSection(ReportSection section)
    {
        // Keep the heading with at least a few lines of what follows.
        Ensure(heading.GetHeight() + 6 + 4 * body.GetHeight());
        y += 4;
        DrawLines(section.Heading, heading, Ink, MarginLeft, Width);
        y += 4;
        foreach (var block in section.Blocks)
        {
            switch (block)
            {
                case ReportParagraph p: DrawParagraph(p); break;
                case ReportFacts f: DrawFacts(f); break;
                case ReportTable t: DrawTable(t); break;
                case ReportSignature s: DrawSignature(s); break;
                case ReportCode c: DrawCode(c); break;
                case ReportLineChart c: DrawChart(c); break;
                case ReportLabelSheet l: DrawLabels(l); break;
                default: throw new NotSupportedException($"The report block {block.GetType().Name} has no drawing.");
            }

            y += 8;
        }

        y += 4;
    }

    private void DrawParagraph(ReportParagraph paragraph)
    {
        foreach (var line in Wrap(paragraph.Text, body, Width))
        {
            Ensure(body.GetHeight());
            DrawLine(line, body, Ink, MarginLeft);
        }
    }

    private void DrawFacts(ReportFacts facts)
    {
        if (facts.Facts.Count == 0)
        {
            return;
        }

        var labelWidth = Math.Min(facts.Facts.Max(f => G.MeasureString(f.Label, bodyBold).Width) + 12, Width * 0.4);
        var valueWidth = Width - labelWidth;
        foreach (var fact in facts.Facts)
        {
            var labels = Wrap(fact.Label, bodyBold, labelWidth - 8);
            var values = Wrap(fact.Value, body, valueWidth);
            var rows = Math.Max(labels.Count, values.Count);
            Ensure(rows * body.GetHeight() + 2);
            var top = y;
            for (var i = 0; i < rows; i++)
            {
                if (i < labels.Count)
                {
                    G.DrawString(labels[i], bodyBold, new XSolidBrush(Muted), new XRect(MarginLeft, top + i * body.GetHeight(), labelWidth, body.GetHeight()), XStringFormats.TopLeft);
                }

                if (i < values.Count)
                {
                    G.DrawString(values[i], body, new XSolidBrush(Ink), new XRect(MarginLeft + labelWidth, top + i * body.GetHeight(), valueWidth, body.GetHeight()), XStringFormats.TopLeft);
                }
            }

            y = top + rows * body.GetHeight() + 2;
        }
    }

    private void DrawTable(ReportTable table)
    {
        var columns = table.Columns.Count;
        if (columns == 0)
        {
            return;
        }

        var widths = ColumnWidths(table);
        var pen = new XPen(Rule, 0.5);
        var lineHeight = small.GetHeight();

        double RowHeight(IReadOnlyList<IReadOnlyList<string>> cells) =>
            cells.Max(c => Math.Max(1, c.Count)) * lineHeight + 2 * CellPadding;

        List<IReadOnlyList<string>> WrapRow(IReadOnlyList<string> row, XFont font) =>
            [.. Enumerable.Range(0, columns).Select(i => Wrap(i < row.Count ? row[i] : "", font, widths[i] - 2 * CellPadding))];

        var header = WrapRow(table.Columns, smallBold);
        var headerHeight = RowHeight(header);

        void DrawRow(IReadOnlyList<IReadOnlyList<string>> cells, double height, XFont font, bool fill)
        {
            var x = MarginLeft;
            for (var i = 0; i < columns; i++)
            {
                var rect = new XRect(x, y, widths[i], height);
                if (fill)
                {
                    G.DrawRectangle(pen, new XSolidBrush(HeaderFill), rect);
                }
                else
                {
                    G.DrawRectangle(pen, rect);
                }

                var lineY = y + CellPadding;
                foreach (var line in cells[i])
                {
                    G.DrawString(line, font, new XSolidBrush(Ink), new XRect(x + CellPadding, lineY, widths[i] - 2 * CellPadding, lineHeight), XStringFormats.TopLeft);
                    lineY += lineHeight;
                }

                x += widths[i];
            }

            y += height;
        }

        var first = table.Rows.Count > 0 ? WrapRow(table.Rows[0], small) : null;
        Ensure(headerHeight + (first is null ? 0 : RowHeight(first)));
        DrawRow(header, headerHeight, smallBold, true);
        foreach (var row in table.Rows)
        {
            var cells = WrapRow(row, small);
            var height = RowHeight(cells);
            if (Ensure(height))
            {
                // The header row repeats on every page the table continues on.
                DrawRow(header, headerHeight, smallBold, true);
            }

            DrawRow(cells, height, small, false);
        }

        if (table.Caption is { Length: > 0 } caption)
        {
            y += 2;
            foreach (var line in Wrap(caption, small, Width))
            {
                Ensure(lineHeight);
                DrawLine(line, small, Muted, MarginLeft);
            }
        }
    }

    /// <summary>Each column gets its natural width (longest cell, capped) scaled to fit the page, but never less than a minimum.</summary>
    private double[] ColumnWidths(ReportTable table)
    {
        var columns = table.Columns.Count;
        var natural = new double[columns];
        for (var i = 0; i < columns; i++)
        {
            var widest = G.MeasureString(table.Columns[i], smallBold).Width;
            foreach (var row in table.Rows)
            {
                if (i < row.Count)
                {
                    widest = Math.Max(widest, G.MeasureString(row[i], small).Width);
                }
            }

            natural[i] = Math.Min(widest + 2 * CellPadding + 1, Width * 0.6);
        }

        var total = natural.Sum();
        if (total <= Width)
        {
            // Spread the spare width so the table spans the page.
            return [.. natural.Select(w => w + (Width - total) / columns)];
        }

        var minimum = Math.Min(40, Width / columns);
        var widths = natural.Select(w => Math.Max(minimum, w * Width / total)).ToArray();
        var excess = widths.Sum() - Width;
        if (excess > 0)
        {
            var shrinkable = widths.Where(w => w > minimum).Sum(w => w - minimum);
            for (var i = 0; i < columns && shrinkable > 0; i++)
            {
                widths[i] -= (widths[i] - minimum) / shrinkable * excess;
            }
        }

        return widths;
    }

    private void DrawSignature(ReportSignature signature)
    {
        var rows = new List<(string Label, string Value)>
        {
            (captions.SignedBy, signature.SignedBy),
            (captions.Meaning, signature.Meaning),
            (captions.SignedAt, signature.SignedAtText),
        };
        if (signature.Reference is { Length: > 0 } reference)
        {
            rows.Add((captions.Reference, reference));
        }

        var labelWidth = rows.Max(r => G.MeasureString(r.Label, bodyBold).Width) + 12;
        var valueWidth = Width - labelWidth - 16;
        var wrapped = rows.Select(r => (r.Label, Lines: Wrap(r.Value, r.Label == captions.Meaning ? bodyBold : body, valueWidth))).ToList();
        var height = wrapped.Sum(r => r.Lines.Count) * body.GetHeight() + 12;
        Ensure(height);
        G.DrawRectangle(new XPen(Ink, 0.9), MarginLeft, y, Width, height);
        var lineY = y + 6;
        foreach (var (label, lines) in wrapped)
        {
            G.DrawString(label, bodyBold, new XSolidBrush(Muted), new XRect(MarginLeft + 8, lineY, labelWidth, body.GetHeight()), XStringFormats.TopLeft);
            foreach (var line in lines)
            {
                var font = label == captions.Meaning ? bodyBold : body;
                G.DrawString(line, font, new XSolidBrush(Ink), new XRect(MarginLeft + 8 + labelWidth, lineY, valueWidth, body.GetHeight()), XStringFormats.TopLeft);
                lineY += body.GetHeight();
            }
        }

        y += height;
    }

    private void DrawCode(ReportCode code)
    {
        const double size = 92;
        var captionLines = Wrap(code.Caption, body, Width - size - 12);
        var height = Math.Max(size, captionLines.Count * body.GetHeight());
        Ensure(height);
        DrawQr(code.Payload, MarginLeft, y, size);
        var lineY = y + Math.Max(0, (size - captionLines.Count * body.GetHeight()) / 2);
        foreach (var line in captionLines)
        {
            G.DrawString(line, body, new XSolidBrush(Ink), new XRect(MarginLeft + size + 12, lineY, Width - size - 12, body.GetHeight()), XStringFormats.TopLeft);
            lineY += body.GetHeight();
        }

        y += height;
    }

    /// <summary>A QR code as vector squares (sharp at any print resolution), error correction M as the screen labels use.</summary>
    private void DrawQr(string payload, double x, double top, double size)
    {
        using var generator = new QRCoder.QRCodeGenerator();
        using var data = generator.CreateQrCode(payload, QRCoder.QRCodeGenerator.ECCLevel.M);
        var matrix = data.ModuleMatrix;
        var modules = matrix.Count;
        var module = size / modules;
        var brush = XBrushes.Black;
        for (var row = 0; row < modules; row++)
        {
            var bits = matrix[row];
            for (var col = 0; col < modules; col++)
            {
                if (bits[col])
                {
                    // A hair of overlap keeps viewers from drawing seams between neighbouring modules.
                    G.DrawRectangle(brush, x + col * module, top + row * module, module + 0.05, module + 0.05);
                }
            }
        }
    }

    private void DrawChart(ReportLineChart chart)
    {
        const double plotHeight = 150;
        var legendLines = LegendRows(chart);
        var total = body.GetHeight() + (chart.YLabel is null ? 0 : small.GetHeight()) + small.GetHeight() / 2 + 4 + plotHeight + 2 * small.GetHeight() + 6 + legendLines.Count * (small.GetHeight() + 3);
        Ensure(total);
        DrawLines(chart.Title, bodyBold, Ink, MarginLeft, Width);
        if (chart.YLabel is { Length: > 0 } yLabel)
        {
            DrawLine(yLabel, small, Muted, MarginLeft);
        }

        // Room for the top tick's label, which is centred on the plot's top edge.
        y += small.GetHeight() / 2 + 4;
        var values = chart.Series.SelectMany(s => s.Values).Where(double.IsFinite).ToList();
        var (low, high, step) = Axis(values);
        var ticks = new List<double>();
        for (var t = low; t <= high + step / 2; t += step)
        {
            ticks.Add(t);
        }

        var tickLabels = ticks.Select(t => t.ToString("G4", CultureInfo.InvariantCulture)).ToList();
        var axisLeft = MarginLeft + tickLabels.Max(t => G.MeasureString(t, small).Width) + 6;
        var plotLeft = axisLeft;
        var plotWidth = Right - plotLeft - 4;
        var plotTop = y;
        var plotBottom = y + plotHeight;
        var grid = new XPen(HeaderFill, 0.5);
        var axis = new XPen(Muted, 0.8);
        double Y(double v) => plotBottom - (v - low) / (high - low) * plotHeight;
        for (var i = 0; i < ticks.Count; i++)
        {
            var ty = Y(ticks[i]);
            G.DrawLine(grid, plotLeft, ty, plotLeft + plotWidth, ty);
            G.DrawString(tickLabels[i], small, new XSolidBrush(Muted), new XRect(MarginLeft, ty - small.GetHeight() / 2, axisLeft - MarginLeft - 4, small.GetHeight()), XStringFormats.TopRight);
        }

        G.DrawLine(axis, plotLeft, plotTop, plotLeft, plotBottom);
        G.DrawLine(axis, plotLeft, plotBottom, plotLeft + plotWidth, plotBottom);

        var count = chart.XLabels.Count;
        double X(int i) => count <= 1 ? plotLeft + plotWidth / 2 : plotLeft + 6 + i * (plotWidth - 12) / (count - 1);
        if (count > 0)
        {
            // Label every k-th point so that labels never overlap.
            var widest = chart.XLabels.Max(l => G.MeasureString(l, small).Width) + 6;
            var slot = count <= 1 ? plotWidth : (plotWidth - 12) / (count - 1);
            var every = Math.Max(1, (int)Math.Ceiling(widest / slot));
            for (var i = 0; i < count; i += every)
            {
                var x = X(i);
                G.DrawLine(axis, x, plotBottom, x, plotBottom + 3);
                // Centred under its tick, but kept inside the page's margins.
                var left = Math.Clamp(x - widest / 2, MarginLeft, Right - widest);
                G.DrawString(chart.XLabels[i], small, new XSolidBrush(Muted), new XRect(left, plotBottom + 4, widest, small.GetHeight()), XStringFormats.TopCenter);
            }
        }

        for (var s = 0; s < chart.Series.Count; s++)
        {
            var series = chart.Series[s];
            var color = SeriesColors[s % SeriesColors.Length];
            var pen = new XPen(color, 1.4);
            var run = new List<XPoint>();
            for (var i = 0; i < Math.Min(count, series.Values.Count); i++)
            {
                var v = series.Values[i];
                if (!double.IsFinite(v))
                {
                    Flush(run, pen);
                    continue;
                }

                var point = new XPoint(X(i), Y(v));
                run.Add(point);
                G.DrawEllipse(new XSolidBrush(color), point.X - 1.8, point.Y - 1.8, 3.6, 3.6);
            }

            Flush(run, pen);
        }

        y = plotBottom + 2 * small.GetHeight() + 6;
        foreach (var row in legendLines)
        {
            var x = MarginLeft;
            foreach (var (name, index, width) in row)
            {
                var color = SeriesColors[index % SeriesColors.Length];
                G.DrawLine(new XPen(color, 2), x, y + small.GetHeight() / 2, x + 14, y + small.GetHeight() / 2);
                G.DrawString(name, small, new XSolidBrush(Ink), new XRect(x + 18, y, width, small.GetHeight()), XStringFormats.TopLeft);
                x += width + 30;
            }

            y += small.GetHeight() + 3;
        }
    }

    private void Flush(List<XPoint> run, XPen pen)
    {
        if (run.Count > 1)
        {
            G.DrawLines(pen, [.. run]);
        }

        run.Clear();
    }

    private List<List<(string Name, int Index, double Width)>> LegendRows(ReportLineChart chart)
    {
        var rows = new List<List<(string, int, double)>> { new() };
        var x = 0.0;
        for (var i = 0; i < chart.Series.Count; i++)
        {
            var width = Math.Min(G.MeasureString(chart.Series[i].Name, small).Width, Width - 20);
            if (x > 0 && x + width + 30 > Width)
            {
                rows.Add([]);
                x = 0;
            }

            rows[^1].Add((chart.Series[i].Name, i, width));
            x += width + 30;
        }

        return rows;
    }

    /// <summary>A y axis with "nice" ticks (1, 2, 5 × 10ⁿ) covering the values; zero included when the values are all positive and near it.</summary>
    internal static (double Low, double High, double Step) Axis(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return (0, 1, 0.2);
        }

        var min = values.Min();
        var max = values.Max();
        if (min > 0 && min < max / 2)
        {
            min = 0;
        }

        if (max - min < 1e-12)
        {
            var pad = Math.Abs(max) > 1e-12 ? Math.Abs(max) * 0.5 : 1;
            min -= pad;
            max += pad;
        }

        var raw = (max - min) / 5;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1, 2, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw);
        var low = Math.Floor(min / step) * step;
        var high = Math.Ceiling(max / step) * step;
        return (low, high, step);
    }

    private void DrawLabels(ReportLabelSheet sheet)
    {
        var width = sheet.WidthMm * MillimetresToPoints;
        var height = sheet.HeightMm * MillimetresToPoints;
        var perRow = Math.Max(1, (int)Math.Floor((Width + 0.01) / width));
        var cut = new XPen(Rule, 0.4) { DashStyle = XDashStyle.Dash };
        const double pad = 4;
        var column = 0;
        foreach (var label in sheet.Labels)
        {
            if (column == 0)
            {
                Ensure(height);
            }

            var x = MarginLeft + column * width;
            G.DrawRectangle(cut, x, y, width, height);
            var code = Math.Min(height - 2 * pad, width * 0.45);
            DrawQr(label.CodePayload, x + pad, y + (height - code) / 2, code);
            var textLeft = x + pad + code + pad;
            var textWidth = width - (textLeft - x) - pad;
            var lineY = y + pad;
            for (var i = 0; i < label.Lines.Count; i++)
            {
                var font = i == 0 ? smallBold : small;
                foreach (var line in Wrap(label.Lines[i], font, textWidth))
                {
                    if (lineY + font.GetHeight() > y + height - pad / 2)
                    {
                        break;
                    }

                    G.DrawString(line, font, new XSolidBrush(Ink), new XRect(textLeft, lineY, textWidth, font.GetHeight()), XStringFormats.TopLeft);
                    lineY += font.GetHeight();
                }
            }

            column++;
            if (column == perRow)
            {
                column = 0;
                y += height;
            }
        }

        if (column != 0)
        {
            y += height;
        }
    }

    // ---- text

    private void DrawLines(string text, XFont font, XColor color, double x, double width)
    {
        foreach (var line in Wrap(text, font, width))
        {
            DrawLine(line, font, color, x);
        }
    }

    private void DrawLine(string line, XFont font, XColor color, double x)
    {
        G.DrawString(line, font, new XSolidBrush(color), new XRect(x, y, Right - x, font.GetHeight()), XStringFormats.TopLeft);
        y += font.GetHeight();
    }

    private List<string> Wrap(string text, XFont font, double width) => Wrap(text, font, width, G);

    /// <summary>
    /// Greedy line breaking: after spaces, and between any two CJK characters (Japanese has no spaces);
    /// a word wider than the line is broken between characters. Explicit newlines are kept.
    /// </summary>
    internal static List<string> Wrap(string text, XFont font, double width, XGraphics g)
    {
        var lines = new List<string>();
        foreach (var paragraph in (text ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var line = new StringBuilder();
            foreach (var token in Tokens(paragraph))
            {
                var candidate = line.ToString() + token;
                if (g.MeasureString(candidate.TrimEnd(), font).Width <= width || line.Length == 0 && Fits(token, font, width, g))
                {
                    line.Append(token);
                    continue;
                }

                if (line.Length > 0)
                {
                    lines.Add(line.ToString().TrimEnd());
                    line.Clear();
                }

                var rest = token.TrimStart();
                // A token wider than a whole line: break it between characters.
                while (rest.Length > 0 && !Fits(rest, font, width, g))
                {
                    var take = 1;
                    while (take < rest.Length && g.MeasureString(rest[..(take + 1)], font).Width <= width)
                    {
                        take++;
                    }

                    lines.Add(rest[..take]);
                    rest = rest[take..];
                }

                line.Append(rest);
            }

            lines.Add(line.ToString().TrimEnd());
        }

        return lines;
    }

    private static bool Fits(string token, XFont font, double width, XGraphics g) => g.MeasureString(token.TrimEnd(), font).Width <= width;

    private static IEnumerable<string> Tokens(string text)
    {
        var token = new StringBuilder();
        foreach (var c in text)
        {
            if (IsCjk(c) && token.Length > 0 && !IsClosing(c))
            {
                yield return token.ToString();
                token.Clear();
            }

            token.Append(c);
            if (c == ' ')
            {
                yield return token.ToString();
                token.Clear();
            }
        }

        if (token.Length > 0)
        {
            yield return token.ToString();
        }
    }

    /// <summary>Japanese closing punctuation stays on the line of the character before it (kinsoku, the simplest rule).</summary>
    private static bool IsClosing(char c) => c is '、' or '。' or '」' or '）' or '・' or 'ー' or '，' or '．';

    /// <summary>The renderer's own words (footer, signature labels) in the report's language.</summary>
    private sealed record Captions(string PageOf, string Generated, string SignedBy, string Meaning, string SignedAt, string Reference)
    {
        public static Captions For(string language) => language.StartsWith("ja", StringComparison.OrdinalIgnoreCase)
            ? new("{0} / {1} ページ", "作成", "署名者", "署名の意味", "署名日時", "記録")
            : new("Page {0} of {1}", "Generated", "Signed by", "Meaning", "Signed at", "Record");
    }
}
