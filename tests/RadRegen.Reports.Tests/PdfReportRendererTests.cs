using System.Globalization;
using System.Text;
using RadRegen.Core.Reporting;
using RadRegen.Testing;

namespace RadRegen.Reports.Tests;

public sealed class PdfReportRendererTests
{
    private static readonly DateTimeOffset Generated = new(2026, 11, 29, 12, 30, 0, TimeSpan.Zero);
    private readonly PdfReportRenderer renderer = new();

    private static ReportDocument Sample(string? banner = null, int rows = 3) => new(
        "Certificate of analysis",
        [
            new ReportSection("Identity",
            [
                new ReportParagraph("This certificate states the quality-control results of the lot against its specification."),
                new ReportFacts([new ReportFact("Lot", "LOT-2026-0042"), new ReportFact("Product", "iPSC-derived HSPC, cryopreserved")]),
            ]),
            new ReportSection("Results",
            [
                new ReportTable(["Test", "Specification", "Result", "Verdict"],
                    [.. Enumerable.Range(1, rows).Select(i => (IReadOnlyList<string>)[$"Test {i:000}", "≥ 70 % viable cells after thaw (trypan blue exclusion, counted twice)", $"{80 + i % 10} %", "pass"])])
                { Caption = "Viability by trypan blue exclusion." },
            ]),
            new ReportSection("Release",
            [
                new ReportSignature("Q. A. Officer (qa1)", "Release: I approve this lot for clinical use", "2026-11-29 21:30 JST (Asia/Tokyo)") { Reference = "e-signature #12" },
                new ReportCode("=W1234260000420|E0001|A0|2027-11-29", "W1234 26 000042 0"),
                new ReportLineChart("Lymphocytes", ["Day 0", "Day 1", "Day 2", "Day 3"],
                    [new ReportSeries("Patient", [2.1, 1.2, 0.8, double.NaN]), new ReportSeries("Lower limit", [1, 1, 1, 1])]) { YLabel = "×10⁹/L" },
            ]),
        ])
    {
        Subtitle = "Lot LOT-2026-0042",
        Issuer = "RadRegen Center Chiba",
        GeneratedAt = Generated,
        GeneratedAtText = "2026-11-29 21:30 JST (Asia/Tokyo)",
        Banner = banner,
    };

    [Fact]
    public void The_text_a_reader_sees_has_the_title_facts_table_and_the_signature_with_its_meaning()
    {
        var pdf = renderer.Render(Sample());

        Assert.Equal("%PDF", Encoding.ASCII.GetString(pdf, 0, 4));
        var text = PdfText.Flat(PdfText.Extract(pdf, layout: true));
        Assert.Contains("Certificate of analysis", text, StringComparison.Ordinal);
        Assert.Contains("Lot LOT-2026-0042", text, StringComparison.Ordinal);
        Assert.Contains("LOT-2026-0042", text, StringComparison.Ordinal);
        Assert.Contains("iPSC-derived HSPC, cryopreserved", text, StringComparison.Ordinal);
        Assert.Contains("Test 001", text, StringComparison.Ordinal);
        Assert.Contains("≥ 70 % viable cells", text, StringComparison.Ordinal);
        Assert.Contains("Viability by trypan blue exclusion.", text, StringComparison.Ordinal);
        Assert.Contains("Signed by Q. A. Officer (qa1)", text, StringComparison.Ordinal);
        Assert.Contains("Meaning Release: I approve this lot for clinical use", text, StringComparison.Ordinal);
        Assert.Contains("e-signature #12", text, StringComparison.Ordinal);
        Assert.Contains("W1234 26 000042 0", text, StringComparison.Ordinal);
        Assert.Contains("Lymphocytes", text, StringComparison.Ordinal);
        Assert.Contains("Lower limit", text, StringComparison.Ordinal);
        Assert.Contains("RadRegen Center Chiba", text, StringComparison.Ordinal);
        Assert.Contains("Generated 2026-11-29 21:30 JST (Asia/Tokyo)", text, StringComparison.Ordinal);
        Assert.Contains("Page 1 of 1", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_table_breaks_across_pages_repeating_its_header_and_every_page_is_numbered_and_bannered()
    {
        var pdf = renderer.Render(Sample("DRILL — not a real patient", rows: 120));

        var pages = PdfText.Pages(pdf);
        Assert.True(pages.Count >= 3, $"{pages.Count} pages");
        for (var i = 0; i < pages.Count; i++)
        {
            var page = PdfText.Flat(pages[i]);
            Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"Page {i + 1} of {pages.Count}"), page, StringComparison.Ordinal);
            Assert.Contains("DRILL — not a real patient", page, StringComparison.Ordinal);
            Assert.Contains("Certificate of analysis", page, StringComparison.Ordinal);
        }

        // Every page the table continues on starts it with the header row again.
        var tablePages = pages.Where(p => p.Contains("Test 0", StringComparison.Ordinal)).ToList();
        Assert.True(tablePages.Count >= 2);
        Assert.All(tablePages, p => Assert.Contains("Specification", p, StringComparison.Ordinal));
        // All rows, each once.
        var all = PdfText.Flat(string.Join(' ', pages));
        for (var i = 1; i <= 120; i++)
        {
            Assert.Contains($"Test {i:000} ", all, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_japanese_report_is_drawn_in_a_japanese_font_and_its_text_comes_back()
    {
        var document = new ReportDocument("線量評価報告書",
            [
                new ReportSection("評価方法", [
                    new ReportParagraph("二動原体染色体分析による線量推定値は 3.1 Gy（95 % 信頼区間 2.6–3.7 Gy）です。この文は一行に収まらないほど長いので、日本語の行分割（空白がない）を確かめるために何度も繰り返します。日本語の行分割を確かめます。日本語の行分割を確かめます。"),
                    new ReportFacts([new ReportFact("患者", "P-0007"), new ReportFact("線量", "3.1 Gy")]),
                ]),
                new ReportSection("署名", [new ReportSignature("医師 一郎", "線量評価を承認します", "2026-11-29 21:30 JST (Asia/Tokyo)")]),
            ])
        { Language = "ja", GeneratedAt = Generated, Banner = "訓練 — 実在の患者ではありません" };

        var text = PdfText.Flat(PdfText.Extract(renderer.Render(document), layout: true));

        Assert.Contains("線量評価報告書", text, StringComparison.Ordinal);
        Assert.Contains("訓練 — 実在の患者ではありません", text, StringComparison.Ordinal);
        Assert.Contains("二動原体染色体分析による線量推定値は 3.1 Gy", text, StringComparison.Ordinal);
        Assert.Contains("患者 P-0007", text, StringComparison.Ordinal);
        Assert.Contains("署名の意味 線量評価を承認します", text, StringComparison.Ordinal);
        Assert.Contains("1 / 1 ページ", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Cjk_text_in_an_english_report_still_draws()
    {
        var document = new ReportDocument("Shipment manifest", [new ReportSection("Receiver", [new ReportFacts([new ReportFact("Center", "放射線医療センター 千葉")])])])
        { GeneratedAt = Generated };

        var text = PdfText.Flat(PdfText.Extract(renderer.Render(document), layout: true));

        Assert.Contains("放射線医療センター 千葉", text, StringComparison.Ordinal);
        Assert.Contains("Page 1 of 1", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_document_gives_the_same_bytes_and_carries_its_generation_time()
    {
        var first = renderer.Render(Sample("DRILL"));
        var second = new PdfReportRenderer().Render(Sample("DRILL"));

        Assert.Equal(first, second);
        Assert.Contains("/CreationDate(D:20261129123000", Encoding.Latin1.GetString(first), StringComparison.Ordinal);
        var other = renderer.Render(Sample("DRILL", rows: 4));
        Assert.NotEqual(first, other);
        // The file identifier (trailer /ID) follows the content.
        Assert.NotEqual(TrailerId(first), TrailerId(other));
        Assert.Equal(TrailerId(first), TrailerId(second));
    }

    private static string TrailerId(byte[] pdf)
    {
        var text = Encoding.Latin1.GetString(pdf);
        var at = text.LastIndexOf("/ID[", StringComparison.Ordinal);
        return text.Substring(at, 40);
    }

    [Fact]
    public void Renders_on_many_threads_at_once_install_the_fonts_once()
    {
        var results = new byte[8][];
        Parallel.For(0, results.Length, i => results[i] = new PdfReportRenderer().Render(Sample(i % 2 == 0 ? null : "DRILL")));
        ReportFonts.Install();
        ReportFonts.Install();

        Assert.Same(ReportFonts.Instance, PdfSharp.Fonts.GlobalFontSettings.FontResolver);
        Assert.All(results.Where((_, i) => i % 2 == 0), r => Assert.Equal(results[0], r));
    }

    [Fact]
    public void A_label_sheet_lays_labels_in_a_grid_with_their_lines()
    {
        var labels = Enumerable.Range(1, 30)
            .Select(i => new ReportLabel([$"W1234 26 0000{i:00} 0", "iPSC-HSPC E0001", "Division A0", "Expires 2027-11-29"], $"=W12342600{i:00}|E0001|A0|2027-11-29"))
            .ToList();
        var document = new ReportDocument("Vial labels", [new ReportSection("Lot LOT-1", [new ReportLabelSheet(63.5, 38.1, labels)])]) { GeneratedAt = Generated };

        var pages = PdfText.Pages(renderer.Render(document));

        var all = PdfText.Flat(string.Join(' ', pages));
        for (var i = 1; i <= 30; i++)
        {
            Assert.Contains($"W1234 26 0000{i:00} 0", all, StringComparison.Ordinal);
        }

        Assert.True(pages.Count >= 2, "30 labels of 63.5 × 38.1 mm take more than one A4 page");
    }

    [Theory]
    [InlineData(new[] { 0.5, 3.2 }, 0, 4)]
    [InlineData(new[] { 5.0, 5.0 }, 2, 8)]
    [InlineData(new[] { -2.0, 7.0 }, -2, 8)]
    public void Chart_axes_cover_the_values_with_round_ticks(double[] values, double low, double high)
    {
        var (l, h, step) = Layout.Axis(values);

        Assert.Equal(low, l, 9);
        Assert.Equal(high, h, 9);
        Assert.True(step > 0);
    }
}
