using System.Net;
using System.Net.Http.Json;
using RadRegen.Core.Access;
using RadRegen.Testing;
using static RadRegen.Testing.ApiAssert;

namespace RadRegen.Web.Tests.Reports;

/// <summary>
/// Issue 17 item 2 through the API: the certificate of analysis (refused for a lot not released, in
/// English and Japanese), the label sheet, the dose-assessment report with the DRILL banner and the
/// roles of each; the PDFs are read back with pdftotext.
/// </summary>
public sealed class ReportApiTests
{
    private static Uri U(string path) => new(path, UriKind.Relative);

    private static readonly object Negative = new Dictionary<string, string>
    {
        ["HIV-1/2"] = "negative", ["HBV"] = "negative", ["HCV"] = "negative", ["HTLV-1/2"] = "negative", ["Syphilis"] = "negative",
    };

    private static async Task<long> MakeLotAsync(HttpClient tech)
    {
        var donor = await OkJson(await tech.PostAsJsonAsync(U("/api/v1/bank/donors"), new
        {
            banking = true, research = true, clinical = true, screening = Negative, hlaGl = "A*24:02+A*24:02^B*52:01+B*52:01",
        }));
        var line = await OkJson(await tech.PostAsJsonAsync(U("/api/v1/bank/lines"), new
        {
            code = "COA-L1", donorId = donor.GetProperty("id").GetInt64(), method = "episomal plasmid", cloneName = "c3", passage = 10,
        }));
        var lineId = line.GetProperty("id").GetInt64();
        var mcb = await OkJson(await tech.PostAsJsonAsync(U("/api/v1/bank/cell-banks"), new { code = "COA-L1-MCB", kind = "mcb", lineId, passage = 12, vials = 100 }));
        var wcb = await OkJson(await tech.PostAsJsonAsync(U("/api/v1/bank/cell-banks"), new
        {
            code = "COA-L1-WCB", kind = "wcb", lineId, parentId = mcb.GetProperty("id").GetInt64(), passage = 15, vials = 100,
        }));
        var lot = await OkJson(await tech.PostAsJsonAsync(U("/api/v1/bank/lots"), new { productCode = "S9102", wcbId = wcb.GetProperty("id").GetInt64(), vials = 3 }));
        return lot.GetProperty("id").GetInt64();
    }

    [Fact]
    public async Task A_certificate_of_analysis_is_refused_until_release_then_states_results_lineage_and_the_signature_meaning()
    {
        await using var server = await TestServer.StartAsync("sqlite");
        using var tech = await server.WithTokenAsync(Role.CpcTechnician);
        using var qa = await server.WithTokenAsync(Role.QaOfficer);
        using var auditor = await server.WithTokenAsync(Role.Auditor);
        var lotId = await MakeLotAsync(tech);

        // Not released: 409 naming the state; a problem, not a PDF.
        var refused = await Problem(await auditor.GetAsync(U($"/api/v1/bank/lots/{lotId}/certificate.pdf")), HttpStatusCode.Conflict);
        Assert.Contains("quarantine, not released", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);

        foreach (var (test, value, unit) in new[]
        {
            ("viability", "91", "%"), ("endotoxin", "0.1", "EU/mL"), ("sterility", "negative", null), ("mycoplasma", "negative", null),
            ("residual-undifferentiated", "0.02", "%"),
        })
        {
            await OkJson(await tech.PostAsJsonAsync(U($"/api/v1/bank/lots/{lotId}/qc-results"), new { testCode = test, value, unit }));
        }

        await OkJson(await qa.PostAsJsonAsync(U($"/api/v1/bank/lots/{lotId}/release"),
            new { password = server.PasswordOf(Role.QaOfficer), meaning = "released for clinical use" }));
        var lot = await OkJson(await auditor.GetAsync(U($"/api/v1/bank/lots/{lotId}")));
        var lotNumber = lot.GetProperty("lot").GetProperty("lotNumber").GetString()!;
        var donorCode = lot.GetProperty("donor").GetProperty("code").GetString()!;

        var response = await auditor.GetAsync(U($"/api/v1/bank/lots/{lotId}/certificate.pdf?lang=en"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType!.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var text = PdfText.Flat(PdfText.Extract(bytes, layout: true));
        Assert.Contains("Certificate of analysis", text, StringComparison.Ordinal);
        Assert.Contains(lotNumber, text, StringComparison.Ordinal);
        Assert.Contains(donorCode, text, StringComparison.Ordinal);
        Assert.Contains("COA-L1-MCB", text, StringComparison.Ordinal);
        Assert.Contains("COA-L1-WCB", text, StringComparison.Ordinal);
        Assert.Contains("91 %", text, StringComparison.Ordinal);
        Assert.Contains("0.1 EU/mL", text, StringComparison.Ordinal);
        Assert.Contains("pass", text, StringComparison.Ordinal);
        Assert.Contains("Meaning released for clinical use", text, StringComparison.Ordinal);
        Assert.Contains("21 CFR 11.50", text, StringComparison.Ordinal);
        Assert.Contains("Page 1 of", text, StringComparison.Ordinal);

        // Japanese: the fixed words translated, the values as recorded.
        var jaBytes = await auditor.GetByteArrayAsync(U($"/api/v1/bank/lots/{lotId}/certificate.pdf?lang=ja"));
        var ja = PdfText.Flat(PdfText.Extract(jaBytes, layout: true));
        Assert.Contains("試験成績書", ja, StringComparison.Ordinal);
        Assert.Contains("署名の意味 released for clinical use", ja, StringComparison.Ordinal);
        Assert.Contains("ワーキングセルバンク COA-L1-WCB", ja, StringComparison.Ordinal);
        Assert.Contains("91 %", ja, StringComparison.Ordinal);
        Assert.Contains("ページ", ja, StringComparison.Ordinal);

        // An unknown language is bad input naming the field.
        await Problem(await auditor.GetAsync(U($"/api/v1/bank/lots/{lotId}/certificate.pdf?lang=fr")), HttpStatusCode.BadRequest, "lang");

        // The label sheet: every vial's DIN with its check character.
        var labels = PdfText.Flat(PdfText.Extract(await tech.GetByteArrayAsync(U($"/api/v1/bank/lots/{lotId}/labels.pdf"))));
        var din = lot.GetProperty("lot").GetProperty("din").GetString()!;
        Assert.Contains(din, labels, StringComparison.Ordinal);
        Assert.Contains("Vial labels", labels, StringComparison.Ordinal);
        Assert.Equal(3, labels.Split("EXP ").Length - 1);
    }

    [Fact]
    public async Task The_dose_report_carries_the_drill_banner_for_a_drill_patient_and_each_role_reads_what_it_may()
    {
        await using var fixture = new RoleMatrixServerScope();
        // A drill and a real incident with a patient each, opened by the coordinator (the role matrix's set-up).
        await fixture.Server.InitializeAsync();
        var server = fixture.Server;

        var drill = PdfText.Pages(await server.As(Role.Trainer).GetByteArrayAsync(U($"/api/v1/care/patients/{server.DrillPatient}/dose-report.pdf")));
        Assert.All(drill, page => Assert.Contains("DRILL — simulated patient, not a real person", page, StringComparison.Ordinal));
        Assert.Contains("Dose-assessment report", drill[0], StringComparison.Ordinal);
        Assert.Contains("DRILL-7-P1", drill[0], StringComparison.Ordinal);

        // Observations give the real patient dose estimates and METREPOL days.
        var url = $"/api/v1/care/patients/{server.RealPatient}/observations";
        var start = RoleMatrixServer.Start;
        await OkJson(await server.As(Role.Physician).PostAsJsonAsync(U(url), new
        {
            kind = "symptoms", observedAt = start.AddHours(4), values = new { vomitingOnsetAt = start.AddHours(1.5), signs = new Dictionary<string, double> { ["nausea"] = 2 } },
        }), HttpStatusCode.Created);
        await OkJson(await server.As(Role.Physician).PostAsJsonAsync(U(url), new { kind = "blood-count", observedAt = start.AddHours(5), values = new { lymphocytes = 1.2 } }),
            HttpStatusCode.Created);
        var assessment = await OkJson(await server.As(Role.Physician).GetAsync(U($"/api/v1/care/patients/{server.RealPatient}/assessment")));
        var method = assessment.GetProperty("doses")[0].GetProperty("method").GetString()!;

        var real = PdfText.Flat(PdfText.Extract(await server.As(Role.Physician).GetByteArrayAsync(U($"/api/v1/care/patients/{server.RealPatient}/dose-report.pdf")), layout: true));
        Assert.Contains(method, real, StringComparison.Ordinal);
        Assert.Contains("METREPOL by day after exposure", real, StringComparison.Ordinal);
        Assert.Contains("Interval", real, StringComparison.Ordinal);
        Assert.Contains("Source", real, StringComparison.Ordinal);
        Assert.Contains("INC-REAL-P1", real, StringComparison.Ordinal);
        Assert.Contains("The assessment advises; the clinician decides.", real, StringComparison.Ordinal);
        Assert.DoesNotContain("DRILL", real, StringComparison.Ordinal);

        var ja = PdfText.Flat(PdfText.Extract(await server.As(Role.Physician).GetByteArrayAsync(U($"/api/v1/care/patients/{server.DrillPatient}/dose-report.pdf?lang=ja"))));
        Assert.Contains("線量評価報告書", ja, StringComparison.Ordinal);
        Assert.Contains("訓練 — 模擬患者", ja, StringComparison.Ordinal);

        // The trainer reads drills only; the administrator reads no patient (ADR 0026).
        await Problem(await server.As(Role.Trainer).GetAsync(U($"/api/v1/care/patients/{server.RealPatient}/dose-report.pdf")), HttpStatusCode.Forbidden);
        await Problem(await server.As(Role.Admin).GetAsync(U($"/api/v1/care/patients/{server.RealPatient}/dose-report.pdf")), HttpStatusCode.Forbidden);
        // The trainer reads no bank record: no certificate, no labels (bank.read).
        await Problem(await server.As(Role.Trainer).GetAsync(U("/api/v1/bank/lots/1/certificate.pdf")), HttpStatusCode.Forbidden);
        await Problem(await server.As(Role.Trainer).GetAsync(U("/api/v1/bank/lots/1/labels.pdf")), HttpStatusCode.Forbidden);
    }

    /// <summary>The role-matrix server (a token per role, a real and a drill patient) owned by one test.</summary>
    private sealed class RoleMatrixServerScope : IAsyncDisposable
    {
        public RoleMatrixServer Server { get; } = new();

        public async ValueTask DisposeAsync() => await Server.DisposeAsync();
    }
}
