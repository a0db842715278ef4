using System.Globalization;
using RadRegen.Care;
using RadRegen.Care.Assessment;
using RadRegen.Care.Records;
using RadRegen.Care.Therapy;
using RadRegen.Core.Reporting;

namespace RadRegen.Web.Reports;

/// <summary>Care's PDF report: the patient's dose assessment (docs/reports.md).</summary>
public static class CareReports
{
    /// <summary>
    /// The dose-assessment report: the patient, each method's dose with its interval, trust and source,
    /// METREPOL by day after exposure (table and chart), the advice (triage, response category,
    /// considerations, notes) with the physicians' sign-off of the version printed, and the therapy requests with who requested and who signed each
    /// administration (e-signature "administered"). A drill patient's report carries the DRILL banner on every page.
    /// </summary>
    public static ReportDocument DoseAssessment(ReportContext r, PatientRecord record, Incident incident, IReadOnlyList<TherapyRecord> therapy,
        IReadOnlyList<AssessmentSignature> signatures)
    {
        ArgumentNullException.ThrowIfNull(signatures);
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(therapy);
        var p = record.Patient;
        var a = record.Assessment;
        var sections = new List<ReportSection>
        {
            new(r["Patient"],
            [
                new ReportFacts(
                [
                    new(r["Patient"], p.Code),
                    new(r["Incident"], $"{incident.Code} — {incident.Title}"),
                    new(r["Age, sex, weight"], string.Create(CultureInfo.InvariantCulture, $"{p.AgeYears} y, {p.Sex.ToString().ToLowerInvariant()}, {ReportContext.Number(p.WeightKg)} kg")),
                    new(r["Exposure"], string.Create(CultureInfo.InvariantCulture,
                        $"{r.Time(p.ExposureStart)}, {ReportContext.Number(p.ExposureHours)} h, {p.Route.ToString().ToLowerInvariant()}")),
                    new(r["Combined injury"], p.CombinedInjury ? string.Join(", ", new[] { p.Burns ? r["burns"] : null, p.Trauma ? r["trauma"] : null }.OfType<string>()) : r["none"]),
                    new(r["Observations"], record.Observations.Count.ToString(CultureInfo.InvariantCulture)),
                ]),
            ]),
        };

        if (a is null || a.Doses.Count == 0)
        {
            sections.Add(new(r["Dose estimates"], [new ReportParagraph(r["No dose estimate yet: no blood count, symptom or cytogenetic result has been recorded."])]));
        }
        else
        {
            sections.Add(new(r["Dose estimates"],
            [
                new ReportParagraph(r.Format("Assessment version {0} of {1}, from {2} observations.", a.Version, r.Time(a.AssessedAt), a.ObservationCount)),
                new ReportTable([r["Method"], r["Dose (Gy)"], r["Interval (Gy)"], r["Trust"], r["Source"]],
                    [.. a.Doses.Select(d => (IReadOnlyList<string>)
                    [
                        d.Extrapolated ? $"{d.Method} ({r["extrapolated"]})" : d.Method,
                        ReportContext.Number(d.EstimateGy),
                        $"{ReportContext.Number(d.LowerGy)}–{ReportContext.Number(d.UpperGy)}",
                        d.Trust,
                        d.Reference,
                    ])])
                {
                    Caption = r["Most trusted method first. An extrapolated estimate lies outside its calibration curve's dose range."],
                },
            ]));
        }

        if (a is not null && a.Metrepol.Count > 0)
        {
            var days = a.Metrepol.OrderBy(g => g.Day).ToList();
            sections.Add(new(r["METREPOL by day after exposure"],
            [
                new ReportTable([r["Day"], "N", "H", "C", "G", "RC", r["Code"], r["Evidence"]],
                    [.. days.Select(g => (IReadOnlyList<string>)
                    [
                        g.Day.ToString(CultureInfo.InvariantCulture), Degree(g.N), g.H is { } h ? Degree(h) : "—", Degree(g.C), Degree(g.G),
                        "RC" + Degree(g.ResponseCategory), g.Code, string.Join("; ", g.Evidence),
                    ])])
                {
                    Caption = r["METREPOL (Fliedner et al. 2001): degrees of the neurovascular (N), haematopoietic (H), cutaneous (C) and gastrointestinal (G) systems and the response category (RC); day 0 is the first 24 h. H — : no H sign recorded that day."],
                },
                new ReportLineChart(r["METREPOL degrees by day"], [.. days.Select(g => r.Format("day {0}", g.Day))],
                [
                    new("N", [.. days.Select(g => (double)g.N)]),
                    new("H", [.. days.Select(g => g.H is { } h ? h : double.NaN)]),
                    new("C", [.. days.Select(g => (double)g.C)]),
                    new("G", [.. days.Select(g => (double)g.G)]),
                    new("RC", [.. days.Select(g => (double)g.ResponseCategory)]),
                ])
                { YLabel = r["degree (0–4)"] },
            ]));
        }

        var advice = new List<ReportBlock>();
        if (a is not null)
        {
            advice.Add(new ReportFacts(
            [
                new(r["Triage"], a.Triage ?? r["not triaged"]),
                new(r["Response category"], a.ResponseCategory is { } rc ? "RC" + Degree(rc) : "—"),
                new(r["Basis dose"], a.BasisDoseGy is null ? "—"
                    : $"{ReportContext.Number(a.BasisDoseGy)} Gy ({ReportContext.Number(a.BasisLowerGy)}–{ReportContext.Number(a.BasisUpperGy)} Gy)"),
            ]));
            advice.AddRange(a.Considerations.Select(c => (ReportBlock)new ReportParagraph($"• {c.Treatment}: {string.Join("; ", c.Reasons)} ({c.Reference})")));
            advice.AddRange(a.Notes.Select(n => (ReportBlock)new ReportParagraph($"– {n}")));
        }

        advice.Add(new ReportParagraph(r["The assessment advises; the clinician decides."]));
        // Issue 17 item 2: the advice and who signed it — the physicians' e-signatures of the version printed (21 CFR 11.50).
        var signedThis = a is null ? [] : AssessmentSignOff.Of(signatures, a.Version);
        if (signedThis.Count == 0)
        {
            advice.Add(new ReportParagraph(r["Not yet signed by a physician"]));
        }
        else
        {
            advice.AddRange(signedThis.Select(s => (ReportBlock)new ReportSignature($"{s.Signature.DisplayName} ({s.Signature.UserName})", s.Signature.Meaning,
                r.Time(s.Signature.SignedAt))
            {
                Reference = r.Format("assessment version {0}, e-signature #{1}", s.Version, s.Signature.Id),
            }));
        }

        sections.Add(new(r["Advice"], advice));

        if (therapy.Count > 0)
        {
            var blocks = new List<ReportBlock>
            {
                new ReportTable([r["Request"], r["Product and dose"], r["Urgency"], r["Treating center"], r["Status"], r["Requested by"]],
                    [.. therapy.Select(t => (IReadOnlyList<string>)
                    [
                        "#" + t.Request.Id.ToString(CultureInfo.InvariantCulture),
                        string.Create(CultureInfo.InvariantCulture, $"{t.Request.ProductCode}, {ReportContext.Number(t.Request.Dose)} {t.Request.DoseUnit}, {t.Request.VialsNeeded} vial(s)"),
                        t.Request.Urgency.ToString().ToLowerInvariant(),
                        t.Request.TreatingCenter,
                        t.Request.Status.ToString().ToLowerInvariant(),
                        $"{t.Request.RequestedBy}, {r.Time(t.Request.RequestedAt)}",
                    ])]),
            };
            foreach (var vial in therapy.SelectMany(t => t.Vials).Where(v => v.AdministeredBy is not null).OrderBy(v => v.AdministeredAt))
            {
                blocks.Add(new ReportSignature(vial.AdministeredBy!, r.Format("administered {0}", vial.VialIdentity), r.Time(vial.AdministeredAt))
                {
                    Reference = r.Format("therapy request #{0}", vial.RequestId),
                });
            }

            sections.Add(new(r["Therapy and signatures"], blocks));
        }
        else
        {
            sections.Add(new(r["Therapy and signatures"], [new ReportParagraph(r["No therapy has been requested; no administration has been signed."])]));
        }

        var banner = incident.Drill ? r["DRILL — simulated patient, not a real person"] : null;
        return r.Document(r["Dose-assessment report"], $"{r["Patient"]} {p.Code} · {incident.Code}", sections, banner);
    }

    private static string Degree(int value) => value.ToString(CultureInfo.InvariantCulture);
}
