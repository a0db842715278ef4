using System.CommandLine;
using System.Globalization;
using RadRegen.Cli.Infrastructure;
using RadRegen.Dosimetry;
using RadRegen.Dosimetry.Calibration;
using RadRegen.Dosimetry.Clinical;
using RadRegen.Dosimetry.Counts;
using RadRegen.Dosimetry.Estimation;

namespace RadRegen.Cli.Dose;

/// <summary>
/// <c>radregen dose …</c>: calibration fitting, dose estimation (whole body, partial body,
/// heterogeneous, protracted), criticality, characteristic limits and clinical estimators. The
/// calculations are in RadRegen.Dosimetry; this class reads files, calls it and writes the result.
/// </summary>
internal static class DoseCommands
{
    public static Command Create()
    {
        var dose = new Command("dose", "Biodosimetry: fit calibration curves, estimate doses with confidence intervals, clinical dose estimators.");
        dose.Add(Fit());
        dose.Add(Estimate());
        dose.Add(CriticalityCommand());
        dose.Add(Limits());
        dose.Add(Clinical());
        return dose;
    }

    private static Command Fit()
    {
        var counts = new Option<string>("--counts") { Description = "Calibration count table CSV: D, then C0..Ck (or N, X).", Required = true };
        var model = new Option<string>("--model") { Description = "lq (C + αD + βD²) or linear (C + αD).", DefaultValueFactory = _ => "lq" };
        model.AcceptOnlyFromAmong("lq", "linear");
        var assay = new Option<string>("--assay") { Description = "dicentric, micronucleus or translocation.", DefaultValueFactory = _ => "dicentric" };
        assay.AcceptOnlyFromAmong("dicentric", "micronucleus", "translocation");
        var family = new Option<string>("--family") { Description = "automatic (quasi-Poisson when φ > 1), poisson or quasipoisson.", DefaultValueFactory = _ => "automatic" };
        family.AcceptOnlyFromAmong("automatic", "poisson", "quasipoisson");
        var genome = new Option<double?>("--genome-factor") { Description = "Translocations: Fp/FG of the painting used for the calibration (stored in the curve; estimates convert to full genome)." };
        var painted = new Option<string?>("--painted") { Description = "Translocations: painted chromosomes per colour, e.g. \"1,2,4;3,5,6\" (with --sex), instead of --genome-factor." };
        var sex = new Option<string?>("--sex") { Description = "Sex of the calibration donor for --painted: male or female." };
        sex.AcceptOnlyFromAmong("male", "female");
        var output = new Option<string?>("--out") { Description = "Write the curve as JSON to this file (the format 'dose estimate --curve' reads)." };
        var json = CommonOptions.Json();
        var cmd = new Command("fit", "Fit a calibration curve by Poisson maximum likelihood (quasi-Poisson when overdispersed; constrained ML if the GLM fails).")
        {
            counts, model, assay, family, genome, painted, sex, output, json,
        };
        CliAction.Set(cmd, parse =>
        {
            var path = parse.GetValue(counts)!;
            var table = ReadTable(path);
            if (table.Kind != CountTableKind.Calibration)
            {
                throw new CliInputException($"{path} row 1, column 1: a calibration table starts with the dose column D, not ID");
            }

            var fam = parse.GetValue(family) switch { "poisson" => FitFamily.Poisson, "quasipoisson" => FitFamily.QuasiPoisson, _ => FitFamily.Automatic };
            var gf = parse.GetValue(genome) ?? (parse.GetValue(painted) is { } pt ? GenomeFactor(pt, parse.GetValue(sex)) : null);
            if (gf is { } g && !(g > 0 && g <= 1))
            {
                throw new CliInputException($"--genome-factor: must be in (0, 1], got {g}");
            }

            var a = CurveFile.ParseAssay(parse.GetValue(assay)!, "--assay");
            if (gf is not null && a != Assay.Translocation)
            {
                throw new CliInputException("--genome-factor: applies to translocation curves only");
            }

            var fit = CurveFitter.Fit(table.Rows, CurveFile.ParseModel(parse.GetValue(model)!, "--model"), a, fam);
            var result = CurveFile.ToJson(fit, gf);
            var rowStats = table.Rows.Select(r => new
            {
                dose = r.Dose,
                cells = r.Cells,
                aberrations = r.Aberrations,
                mean = r.Mean,
                variance = r.Variance,
                dispersionIndex = r.DispersionIndex,
                u = r.U,
                fitted = fit.Curve.Yield(r.Dose!.Value),
            }).ToList();
            if (parse.GetValue(output) is { } outPath)
            {
                File.WriteAllText(outPath, System.Text.Json.JsonSerializer.Serialize(result, CliAction.Json) + "\n");
            }

            if (parse.GetValue(json))
            {
                CliAction.WriteJson(parse, new Dictionary<string, object?>(result) { ["rows"] = rowStats });
                return ExitCodes.Ok;
            }

            var o = parse.InvocationConfiguration.Output;
            TextTable.Write(o, ["D Gy", "N", "X", "y", "σ²", "DI", "u", "fitted y"], rowStats.Select(r => (IReadOnlyList<string>)
            [
                DoseOutput.Num(r.dose, "0.###"), r.cells.ToString(CultureInfo.InvariantCulture), r.aberrations.ToString(CultureInfo.InvariantCulture),
                DoseOutput.Num(r.mean, "F5"), DoseOutput.Num(r.variance, "F5"), DoseOutput.Num(r.dispersionIndex, "F4"),
                DoseOutput.Num(r.u, "F3") + (r.u is > 1.96 or < -1.96 ? " *" : string.Empty), DoseOutput.Num(r.fitted, "F5"),
            ]));
            o.WriteLine("* |u| > 1.96: significant over- or under-dispersion at 5 %");
            o.WriteLine();
            o.WriteLine($"Calibration fit: {CurveFile.AssayName(fit.Curve.Assay)}, {(fit.Curve.Model == CurveModel.Linear ? "linear" : "linear-quadratic")}, method {result["method"]}");
            TextTable.Write(o, ["coefficient", "estimate", "std. error", fit.Method == FitMethod.QuasiPoisson ? "t" : "z", "p"],
                fit.Coefficients.Select(k => (IReadOnlyList<string>)[k.Name, DoseOutput.Num(k.Estimate, "G8"), DoseOutput.Num(k.StandardError, "G6"), DoseOutput.Num(k.Statistic, "F3"), DoseOutput.Num(k.PValue, "G3")]));
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"dispersion φ = {DoseOutput.Num(fit.Dispersion, "F4")}, deviance = {fit.Deviance:F4}, Pearson χ² = {fit.PearsonChi2:F4}, df = {fit.Df}, logLik = {DoseOutput.Num(fit.LogLik, "F4")}, AIC = {DoseOutput.Num(fit.Aic, "F4")}, BIC = {DoseOutput.Num(fit.Bic, "F4")}"));
            foreach (var w in fit.Warnings)
            {
                o.WriteLine($"warning: {w}");
            }

            if (parse.GetValue(output) is { } written)
            {
                o.WriteLine($"curve written to {written}");
            }

            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static Command Estimate()
    {
        var curveOpt = new Option<string>("--curve") { Description = "Curve JSON (from 'dose fit --out' or written by hand).", Required = true };
        var counts = new Option<string?>("--counts") { Description = "Case table CSV: ID, then C0..Ck (or N, X); one result per row." };
        var cells = new Option<long?>("--cells") { Description = "Number of cells scored (with --aberrations)." };
        var aberrations = new Option<long?>("--aberrations") { Description = "Number of aberrations found (with --cells)." };
        var distribution = new Option<string?>("--distribution") { Description = "Cells with 0, 1, 2, … aberrations: \"C0,C1,C2,…\"." };
        var method = new Option<string>("--method") { Description = "merkle83, merkle95, delta, dolphin (partial body) or mixed (heterogeneous).", DefaultValueFactory = _ => "merkle83" };
        method.AcceptOnlyFromAmong("merkle83", "merkle95", "delta", "dolphin", "mixed");
        var protracted = new Option<double?>("--protracted-hours") { Description = "Exposure duration in hours: applies the Lea–Catcheside G function." };
        var repair = new Option<double>("--repair-time") { Description = "Mean repair time t0 in hours for the G function.", DefaultValueFactory = _ => Protraction.DefaultRepairTimeHours };
        var genome = new Option<double?>("--genome-factor") { Description = "Translocations: Fp/FG of the painting used for the case." };
        var painted = new Option<string?>("--painted") { Description = "Translocations: painted chromosomes per colour, e.g. \"1,2,4;3,5,6\" (with --sex): computes the genome factor (Lucas 1992, Morton 1991 DNA contents)." };
        var fractions = new Option<int?>("--fractions") { Description = "Fractionated exposure: n equal acute fractions with full repair between them (G = 1/n)." };
        var badge = new Option<double?>("--badge-dose") { Description = "Low-dose reporting: likelihood ratio of the counts at 0 Gy versus this suspected dose (IAEA 2011 Table 9)." };
        var age = new Option<double?>("--age") { Description = "Translocations: age in years, to subtract the expected background (Sigurdson et al. 2008)." };
        var sex = new Option<string?>("--sex") { Description = "Translocations background: male or female." };
        sex.AcceptOnlyFromAmong("male", "female");
        var smoker = new Option<bool>("--smoker") { Description = "Translocations background: the person smokes." };
        var yieldConf = new Option<double?>("--yield-confidence") { Description = "Merkle: confidence of the yield interval (default 0.83 for merkle83, 0.95 for merkle95)." };
        var curveConf = new Option<double?>("--curve-confidence") { Description = "Merkle: confidence of the curve band (default as --yield-confidence)." };
        var json = CommonOptions.Json();
        var cmd = new Command("estimate", "Estimate the dose of one case or a table of cases, with confidence intervals.")
        {
            curveOpt, counts, cells, aberrations, distribution, method, protracted, repair, fractions, genome, painted, age, sex, smoker, yieldConf, curveConf, badge, json,
        };
        cmd.Validators.Add(r =>
        {
            var given = (r.GetResult(counts) is not null ? 1 : 0) + (r.GetResult(distribution) is not null ? 1 : 0)
                + (r.GetResult(cells) is not null || r.GetResult(aberrations) is not null ? 1 : 0);
            if (given != 1)
            {
                r.AddError("Give exactly one of --counts FILE, --cells N --aberrations X, or --distribution \"C0,C1,…\".");
            }
            else if ((r.GetResult(cells) is null) != (r.GetResult(aberrations) is null))
            {
                r.AddError("--cells and --aberrations go together.");
            }

            if (r.GetResult(genome) is not null && r.GetResult(painted) is not null)
            {
                r.AddError("Give --genome-factor or --painted, not both.");
            }

            if (r.GetResult(protracted) is not null && r.GetResult(fractions) is not null)
            {
                r.AddError("Give --protracted-hours or --fractions, not both.");
            }
        });
        CliAction.Set(cmd, parse =>
        {
            var (curve, curveGf) = CurveFile.Read(parse.GetValue(curveOpt)!);
            var gf = parse.GetValue(genome) ?? (parse.GetValue(painted) is { } pt ? GenomeFactor(pt, parse.GetValue(sex)) : null);
            if ((gf is not null || parse.GetValue(age) is not null) && curve.Assay != Assay.Translocation)
            {
                throw new CliInputException("--genome-factor and --age apply to translocation curves only");
            }

            if (curve.Assay == Assay.Translocation && curveGf is { } cg)
            {
                // The curve was fitted on observed (painted) frequencies: convert it to full genome, and
                // read the case with the same painting unless another one is given.
                curve = curve.ToFullGenome(cg);
                gf ??= cg;
            }

            var g = parse.GetValue(protracted) is { } hours ? Protraction.G(hours, parse.GetValue(repair))
                : parse.GetValue(fractions) is { } nf ? Protraction.GForEqualFractions(nf) : 1;
            var rows = ReadCases(parse, counts, cells, aberrations, distribution);
            var m = parse.GetValue(method)!;
            var yc = parse.GetValue(yieldConf) ?? (m == "merkle95" ? 0.95 : 0.83);
            var cc = parse.GetValue(curveConf) ?? yc;
            CheckConfidence(yc, "--yield-confidence");
            CheckConfidence(cc, "--curve-confidence");
            var merkle = m is "merkle83" or "merkle95";
            List<DoseEstimate> results;
            if (merkle && parse.GetValue(age) is null)
            {
                // Same options for every case: one band table for the whole batch.
                results = [.. WholeBodyEstimator.Merkle(curve, rows, yc, cc, new EstimationOptions(g, gf ?? 1))];
            }
            else
            {
                results = new List<DoseEstimate>(rows.Count);
                foreach (var row in rows)
                {
                    var xc = 0.0;
                    if (parse.GetValue(age) is { } years)
                    {
                        var s = parse.GetValue(sex) switch { "female" => Sex.Female, "male" => Sex.Male, _ => (Sex?)null };
                        xc = Translocations.ExpectedBackground(row.Cells, gf ?? 1, Translocations.BackgroundRate(years, s, parse.GetValue(smoker)));
                    }

                    var options = new EstimationOptions(g, gf ?? 1, xc);
                    results.Add(m switch
                    {
                        "merkle83" or "merkle95" => WholeBodyEstimator.Merkle(curve, row, yc, cc, options),
                        "delta" => WholeBodyEstimator.Delta(curve, row, options: options),
                        "dolphin" => PartialBodyEstimator.Dolphin(curve, row, options: options),
                        _ => HeterogeneousEstimator.MixedPoisson(curve, row, options: options),
                    });
                }
            }

            // Low-dose reporting for whole-body dicentric or micronucleus estimates (the background test
            // uses the curve's C on the scale of the scored cells, which FISH does not share).
            var wholeBody = (merkle || m == "delta") && curve.Assay != Assay.Translocation;
            var lowDose = new Dictionary<string, LowDoseReport>();
            if (wholeBody && (rows.Count <= 100 || parse.GetValue(badge) is not null))
            {
                foreach (var row in rows)
                {
                    lowDose[row.Id] = LowDose.Report(curve, row, parse.GetValue(badge));
                }
            }

            if (parse.GetValue(json))
            {
                CliAction.WriteJson(parse, results.Select(r => ToJson(r, lowDose.GetValueOrDefault(r.Id))).ToList());
                return ExitCodes.Ok;
            }

            var o = parse.InvocationConfiguration.Output;
            if (gf is { } gfv)
            {
                o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Genome factor Fp/FG = {gfv:F4}"));
            }

            if (g != 1)
            {
                o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Protracted exposure: G = {g:F4}"));
            }

            var partial = m is "dolphin" or "mixed";
            TextTable.Write(o, partial ? ["id", "method", "yield (95% CI)", "dose Gy (CI)", "body fraction (CI)", "notes"] : ["id", "method", "yield (CI)", "dose Gy (CI)", "notes"],
                results.Select(r => (IReadOnlyList<string>)(partial
                    ? [r.Id, MethodName(r.Method), DoseOutput.Range(r.Yield, "F4"), DoseOutput.Range(r.Dose), DoseOutput.Range(r.BodyFraction), r.Warnings.Count.ToString(CultureInfo.InvariantCulture)]
                    : [r.Id, MethodName(r.Method), DoseOutput.Range(r.Yield, "F4"), DoseOutput.Range(r.Dose), r.Warnings.Count.ToString(CultureInfo.InvariantCulture)])));
            foreach (var r in results)
            {
                foreach (var w in r.Warnings)
                {
                    o.WriteLine($"{r.Id}: {w}");
                }

                if (lowDose.GetValueOrDefault(r.Id) is { } ld && (!ld.AboveBackground || ld.IncidenceRateRatio is not null))
                {
                    o.WriteLine($"{r.Id}: {ld.Statement}" + (ld.IncidenceRateRatio is { } irr ? string.Create(CultureInfo.InvariantCulture, $" Likelihood ratio 0 Gy : {ld.BadgeDose} Gy = {irr:G4} : 1.") : string.Empty));
                }

                for (var i = 0; i < r.Components.Count; i++)
                {
                    var c = r.Components[i];
                    o.WriteLine($"{r.Id}: component {i + 1}: yield {DoseOutput.Range(c.Yield, "F4")}, dose {DoseOutput.Range(c.Dose)} Gy, cells {DoseOutput.Range(c.CellProportion)}, body fraction {DoseOutput.Range(c.BodyFraction)}");
                }
            }

            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static Command CriticalityCommand()
    {
        var gamma = new Option<string>("--gamma") { Description = "Gamma calibration curve JSON.", Required = true };
        var neutron = new Option<string>("--neutron") { Description = "Neutron calibration curve JSON.", Required = true };
        var ratio = new Option<double>("--ratio") { Description = "Gamma dose / neutron dose.", Required = true };
        var cells = new Option<long>("--cells") { Description = "Cells scored.", Required = true };
        var aberrations = new Option<long>("--aberrations") { Description = "Dicentrics found.", Required = true };
        var photon = new Option<double>("--photon-fraction") { Description = "Photon contribution contained in the neutron calibration, [0, 1).", DefaultValueFactory = _ => 0 };
        var json = CommonOptions.Json();
        var cmd = new Command("criticality", "Gamma and neutron doses of a mixed-field exposure at a known gamma/neutron dose ratio.")
        {
            gamma, neutron, ratio, cells, aberrations, photon, json,
        };
        CliAction.Set(cmd, parse =>
        {
            var (g, _) = CurveFile.Read(parse.GetValue(gamma)!);
            var (n, _) = CurveFile.Read(parse.GetValue(neutron)!);
            var row = CountRow.FromTotals("case", null, parse.GetValue(cells), parse.GetValue(aberrations));
            var e = Criticality.Estimate(g, n, parse.GetValue(ratio), row, parse.GetValue(photon));
            if (parse.GetValue(json))
            {
                CliAction.WriteJson(parse, new { gamma = IntervalJson.From(e.Gamma), neutron = IntervalJson.From(e.Neutron), total = IntervalJson.From(e.Total), warnings = e.Warnings });
                return ExitCodes.Ok;
            }

            var o = parse.InvocationConfiguration.Output;
            TextTable.Write(o, ["component", "dose Gy", "95% CI"],
            [
                ["gamma", DoseOutput.Num(e.Gamma.Estimate), $"{DoseOutput.Num(e.Gamma.Lower)}–{DoseOutput.Num(e.Gamma.Upper)}"],
                ["neutron", DoseOutput.Num(e.Neutron.Estimate), $"{DoseOutput.Num(e.Neutron.Lower)}–{DoseOutput.Num(e.Neutron.Upper)}"],
                ["total", DoseOutput.Num(e.Total.Estimate), $"{DoseOutput.Num(e.Total.Lower)}–{DoseOutput.Num(e.Total.Upper)}"],
            ]);
            foreach (var w in e.Warnings)
            {
                o.WriteLine($"warning: {w}");
            }

            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static Command Limits()
    {
        var curveOpt = new Option<string>("--curve") { Description = "Curve JSON.", Required = true };
        var controlCells = new Option<long>("--control-cells") { Description = "Cells scored in the control.", Required = true };
        var controlAberr = new Option<long>("--control-aberrations") { Description = "Aberrations found in the control.", Required = true };
        var cells = new Option<string>("--cells") { Description = "Numbers of cells to evaluate: n1,n2,…", Required = true };
        var alpha = new Option<double>("--alpha") { Description = "Type I error probability.", DefaultValueFactory = _ => 0.05 };
        var beta = new Option<double>("--beta") { Description = "Type II error probability.", DefaultValueFactory = _ => 0.10 };
        var json = CommonOptions.Json();
        var cmd = new Command("limits", "Characteristic limits: decision threshold, detection limit and the corresponding doses.")
        {
            curveOpt, controlCells, controlAberr, cells, alpha, beta, json,
        };
        CliAction.Set(cmd, parse =>
        {
            var (curve, _) = CurveFile.Read(parse.GetValue(curveOpt)!);
            var list = new List<long>();
            var parts = parse.GetValue(cells)!.Split(',', StringSplitOptions.TrimEntries);
            for (var i = 0; i < parts.Length; i++)
            {
                list.Add(long.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0
                    ? v
                    : throw new CliInputException($"--cells value {i + 1}: \"{parts[i]}\" is not a positive whole number of cells"));
            }

            var rows = CharacteristicLimits.Calculate(curve, parse.GetValue(controlCells), parse.GetValue(controlAberr), list, parse.GetValue(alpha), parse.GetValue(beta));
            if (parse.GetValue(json))
            {
                CliAction.WriteJson(parse, new { rows });
                return ExitCodes.Ok;
            }

            TextTable.Write(parse.InvocationConfiguration.Output, ["cells", "decision threshold", "detection limit", "min. resolvable dose Gy", "dose at detection limit Gy"],
                rows.Select(r => (IReadOnlyList<string>)[r.Cells.ToString(CultureInfo.InvariantCulture), r.DecisionThreshold.ToString(CultureInfo.InvariantCulture), DoseOutput.Num(r.DetectionLimit, "F6"), DoseOutput.Num(r.MinimumResolvableDose), DoseOutput.Num(r.DoseAtDetectionLimit)]));
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static Command Clinical()
    {
        var lymph = new Option<string?>("--lymphocytes") { Description = "Serial lymphocyte counts ×10⁹/L: \"0h:2.1,12h:1.6,24h:1.2\"." };
        var vomiting = new Option<string?>("--vomiting-onset") { Description = "Time to onset of vomiting: 45min, 2h, …; or none@12h (no vomiting until 12 h after exposure; counts from 10 h on)." };
        var lowest = new Option<double?>("--lowest-lymphocytes") { Description = "Lowest lymphocyte count within 48 h, ×10⁹/L." };
        var json = CommonOptions.Json();
        var cmd = new Command("clinical", "Clinical dose estimators: lymphocyte depletion kinetics (Goans), time to vomiting, lowest 48-h lymphocytes.")
        {
            lymph, vomiting, lowest, json,
        };
        cmd.Validators.Add(r =>
        {
            if (r.GetResult(lymph) is null && r.GetResult(vomiting) is null && r.GetResult(lowest) is null)
            {
                r.AddError("Give at least one of --lymphocytes, --vomiting-onset, --lowest-lymphocytes.");
            }
        });
        CliAction.Set(cmd, parse =>
        {
            KineticsEstimate? kin = parse.GetValue(lymph) is { } l ? LymphocyteKinetics.Estimate(DoseOutput.ParseLymphocytes(l, "--lymphocytes")) : null;
            var notes = new List<string>();
            DoseBand? vom = null;
            if (parse.GetValue(vomiting) is { } v)
            {
                var (onset, noneUntil) = DoseOutput.ParseVomiting(v, "--vomiting-onset");
                if (onset != TimeSpan.MaxValue)
                {
                    vom = VomitingOnset.Band(onset);
                }
                else if (VomitingOnset.NoVomitingCounts(noneUntil))
                {
                    vom = VomitingOnset.Band(null);
                }
                else
                {
                    notes.Add(VomitingOnset.TooEarlyNote(noneUntil));
                }
            }

            // The center's table (setting Care:Assessment:LowestLymphocyteTable), as the server uses it; the output names it.
            DoseBand? low = parse.GetValue(lowest) is { } lw ? LowestLymphocytes.Band(lw, CliDatabase.Assessment(parse).LowestLymphocyteTable) : null;
            if (parse.GetValue(json))
            {
                CliAction.WriteJson(parse, new
                {
                    kinetics = kin is null ? null : new
                    {
                        k = kin.K,
                        kStandardError = kin.KStandardError,
                        l0 = kin.L0,
                        dose = kin.Dose?.Estimate,
                        doseInterval = IntervalJson.From(kin.Dose),
                        withinValidity = kin.WithinValidity,
                        source = "Goans et al. 1997, Health Phys 72:513",
                        warnings = kin.Warnings,
                    },
                    vomiting = vom,
                    lowestLymphocytes = low,
                    notes,
                });
                return ExitCodes.Ok;
            }

            var o = parse.InvocationConfiguration.Output;
            var rows = new List<IReadOnlyList<string>>();
            if (kin is not null)
            {
                rows.Add(["lymphocyte kinetics", kin.K is { } kk ? string.Create(CultureInfo.InvariantCulture, $"K = {kk:F3}/d") : "K not estimated", DoseOutput.Range(kin.Dose, "F2"), "Goans et al. 1997"]);
            }

            if (vom is not null)
            {
                rows.Add(["time to vomiting", vom.Label, BandText(vom), vom.Source]);
            }

            if (low is not null)
            {
                rows.Add(["lowest lymphocytes 48 h", low.Label, BandText(low), low.Source]);
            }

            TextTable.Write(o, ["estimator", "finding", "dose Gy", "source"], rows);
            foreach (var w in (kin?.Warnings ?? []).Concat(notes))
            {
                o.WriteLine($"note: {w}");
            }

            return ExitCodes.Ok;
        });
        return cmd;
    }

    internal static string BandText(DoseBand b) =>
        b.UpperGy is { } u ? string.Create(CultureInfo.InvariantCulture, $"{b.LowerGy:0.#}–{u:0.#}") : string.Create(CultureInfo.InvariantCulture, $"> {b.LowerGy:0.#}");

    internal static object ToJson(DoseEstimate r, LowDoseReport? low = null) => new
    {
        id = r.Id,
        method = r.Method switch
        {
            EstimationMethod.Merkle83 => "merkle83",
            EstimationMethod.Merkle95 => "merkle95",
            EstimationMethod.Delta => "delta",
            EstimationMethod.Dolphin => "dolphin",
            _ => "mixed",
        },
        yield = IntervalJson.From(r.Yield),
        dose = IntervalJson.From(r.Dose),
        fraction = IntervalJson.From(r.BodyFraction),
        cellFraction = IntervalJson.From(r.CellFraction),
        components = r.Components.Count == 0 ? null : r.Components.Select(c => new
        {
            yield = IntervalJson.From(c.Yield),
            dose = IntervalJson.From(c.Dose),
            cellProportion = IntervalJson.From(c.CellProportion),
            fraction = IntervalJson.From(c.BodyFraction),
        }).ToList(),
        lowDose = low is null ? null : new
        {
            pValueAboveBackground = low.PValueAboveBackground,
            aboveBackground = low.AboveBackground,
            upperDose95 = double.IsFinite(low.UpperDose) ? low.UpperDose : (double?)null,
            badgeDose = low.BadgeDose,
            incidenceRateRatio = low.IncidenceRateRatio,
            statement = low.Statement,
        },
        warnings = r.Warnings,
    };

    internal static double GenomeFactor(string painted, string? sex)
    {
        if (sex is null)
        {
            throw new CliInputException("--painted: give --sex male or --sex female (the genome's DNA content depends on it)");
        }

        var colours = painted.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(c => (IReadOnlyList<string>)c.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToList();
        if (colours.Count == 0)
        {
            throw new CliInputException("--painted: list the painted chromosomes per colour, e.g. \"1,2,4;3,5,6\"");
        }

        return Translocations.GenomeFactor(colours, sex == "female" ? Sex.Female : Sex.Male);
    }

    private static string MethodName(EstimationMethod m) => m switch
    {
        EstimationMethod.Merkle83 => "Merkle 83/83",
        EstimationMethod.Merkle95 => "Merkle 95/95",
        EstimationMethod.Delta => "delta 95%",
        EstimationMethod.Dolphin => "Dolphin 95%",
        _ => "mixed Poisson 95%",
    };

    private static void CheckConfidence(double c, string option)
    {
        if (!(c > 0 && c < 1))
        {
            throw new CliInputException($"{option}: must be between 0 and 1 (got {c})");
        }
    }

    internal static CountTable ReadTable(string path)
    {
        if (!File.Exists(path))
        {
            throw new CliInputException($"file not found: {path}");
        }

        using var reader = new StreamReader(path, RadRegen.Core.Csv.CsvReading.StrictUtf8, detectEncodingFromByteOrderMarks: true);
        return CountTableParser.Parse(reader, Path.GetFileName(path));
    }

    private static List<CountRow> ReadCases(ParseResult parse, Option<string?> counts, Option<long?> cells, Option<long?> aberrations, Option<string?> distribution)
    {
        if (parse.GetValue(counts) is { } path)
        {
            var table = ReadTable(path);
            if (table.Kind != CountTableKind.Cases)
            {
                throw new CliInputException($"{Path.GetFileName(path)} row 1, column 1: a case table starts with the column ID (this looks like a calibration table)");
            }

            var dup = table.Rows.GroupBy(r => r.Id).FirstOrDefault(gr => gr.Count() > 1);
            if (dup is not null)
            {
                throw new CliInputException($"{Path.GetFileName(path)}: case ID \"{dup.Key}\" appears more than once");
            }

            return [.. table.Rows];
        }

        if (parse.GetValue(distribution) is { } d)
        {
            return [CountTableParser.ParseDistribution(d)];
        }

        return [CountRow.FromTotals("case", null, parse.GetValue(cells)!.Value, parse.GetValue(aberrations)!.Value)];
    }
}
