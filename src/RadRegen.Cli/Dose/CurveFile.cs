using System.Globalization;
using System.Text.Json;
using RadRegen.Cli.Infrastructure;
using RadRegen.Dosimetry;
using RadRegen.Dosimetry.Calibration;

namespace RadRegen.Cli.Dose;

/// <summary>
/// Calibration curves as JSON: what <c>dose fit</c> writes, and what a person may write by hand from a
/// publication (<c>assay</c>, <c>model</c>, <c>coefficients</c> and <c>covariance</c> are required).
/// An optional <c>genomeFactor</c> marks a translocation curve fitted on observed (painted) frequencies.
/// </summary>
internal static class CurveFile
{
    public static string AssayName(Assay a) => a switch
    {
        Assay.Dicentric => "dicentric",
        Assay.Micronucleus => "micronucleus",
        _ => "translocation",
    };

    public static Assay ParseAssay(string text, string where) => text.Trim().ToLowerInvariant() switch
    {
        "dicentric" or "dicentrics" => Assay.Dicentric,
        "micronucleus" or "micronuclei" => Assay.Micronucleus,
        "translocation" or "translocations" => Assay.Translocation,
        _ => throw new CliInputException($"{where}: assay \"{text}\" is not one of dicentric, micronucleus, translocation"),
    };

    public static string ModelName(CurveModel m) => m == CurveModel.Linear ? "linear" : "lq";

    public static CurveModel ParseModel(string text, string where) => text.Trim().ToLowerInvariant() switch
    {
        "lq" or "linear-quadratic" or "linearquadratic" => CurveModel.LinearQuadratic,
        "linear" or "lin" => CurveModel.Linear,
        _ => throw new CliInputException($"{where}: model \"{text}\" is not one of lq, linear"),
    };

    /// <summary>The JSON object written for a fit (also the CURVE.json format).</summary>
    public static Dictionary<string, object?> ToJson(CalibrationFit fit, double? genomeFactor)
    {
        var c = fit.Curve;
        var p = c.ParameterCount;
        var coefficients = new Dictionary<string, double> { ["C"] = c.C, ["alpha"] = c.Alpha };
        var se = new Dictionary<string, double> { ["C"] = fit.Coefficients[0].StandardError, ["alpha"] = fit.Coefficients[1].StandardError };
        if (p == 3)
        {
            coefficients["beta"] = c.Beta;
            se["beta"] = fit.Coefficients[2].StandardError;
        }

        var cov = new double[p][];
        for (var i = 0; i < p; i++)
        {
            cov[i] = new double[p];
            for (var j = 0; j < p; j++)
            {
                cov[i][j] = c.Covariance[i, j];
            }
        }

        var json = new Dictionary<string, object?>
        {
            ["assay"] = AssayName(c.Assay),
            ["model"] = ModelName(c.Model),
            ["method"] = fit.Method switch { FitMethod.Poisson => "poisson", FitMethod.QuasiPoisson => "quasipoisson", _ => "constrained" },
            ["coefficients"] = coefficients,
            ["standardErrors"] = se,
            ["covariance"] = cov,
            ["correlation"] = fit.Correlation,
            ["statistics"] = fit.Coefficients.ToDictionary(k => k.Name, k => new { statistic = Finite(k.Statistic), pValue = Finite(k.PValue) }),
            ["dispersion"] = Finite(fit.Dispersion),
            ["logLik"] = fit.LogLik,
            ["deviance"] = fit.Deviance,
            ["pearsonChi2"] = fit.PearsonChi2,
            ["df"] = fit.Df,
            ["aic"] = fit.Aic,
            ["bic"] = fit.Bic,
            ["warnings"] = fit.Warnings,
        };
        if (genomeFactor is { } gf)
        {
            json["genomeFactor"] = gf;
        }

        return json;
    }

    public static double? Finite(double v) => double.IsFinite(v) ? v : null;

    /// <summary>Reads and checks a curve file.</summary>
    public static (CalibrationCurve Curve, double? GenomeFactor) Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new CliInputException($"curve file not found: {path}");
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new CliInputException($"curve file {path}: not valid JSON (line {ex.LineNumber + 1}): {ex.Message}");
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new CliInputException($"curve file {path}: must be a JSON object with assay, model, coefficients and covariance");
            }

            string Text(string name) =>
                root.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.String ? e.GetString()!
                : throw new CliInputException($"curve file {path}: field \"{name}\" is missing or not a string");

            var assay = ParseAssay(Text("assay"), $"curve file {path}");
            var model = ParseModel(Text("model"), $"curve file {path}");
            if (!root.TryGetProperty("coefficients", out var coef) || coef.ValueKind != JsonValueKind.Object)
            {
                throw new CliInputException($"curve file {path}: field \"coefficients\" is missing (expected {{\"C\": …, \"alpha\": …, \"beta\": …}})");
            }

            double Coef(string name, bool required)
            {
                if (coef.TryGetProperty(name, out var e))
                {
                    return e.ValueKind == JsonValueKind.Number ? e.GetDouble()
                        : throw new CliInputException($"curve file {path}: field \"coefficients.{name}\" must be a number");
                }

                return required ? throw new CliInputException($"curve file {path}: field \"coefficients.{name}\" is missing") : 0;
            }

            var p = model == CurveModel.Linear ? 2 : 3;
            var cC = Coef("C", true);
            var alpha = Coef("alpha", true);
            var beta = Coef("beta", p == 3);
            if (!root.TryGetProperty("covariance", out var covEl) || covEl.ValueKind == JsonValueKind.Null)
            {
                throw new CliInputException($"curve file {path}: field \"covariance\" is missing; a curve needs the variance-covariance matrix of its coefficients for confidence intervals (use all zeros only if the curve is to be taken as exact)");
            }

            if (covEl.ValueKind != JsonValueKind.Array)
            {
                throw new CliInputException($"curve file {path}: field \"covariance\" must be a {p}×{p} array of arrays");
            }

            var rows = covEl.EnumerateArray().ToList();
            if (rows.Count is not (2 or 3) || (model == CurveModel.LinearQuadratic && rows.Count != 3))
            {
                throw new CliInputException($"curve file {path}: field \"covariance\" must be {p}×{p} for a {(p == 3 ? "linear-quadratic" : "linear")} curve, got {rows.Count} rows");
            }

            var m = new double[3, 3];
            for (var i = 0; i < rows.Count; i++)
            {
                if (rows[i].ValueKind != JsonValueKind.Array || rows[i].GetArrayLength() != rows.Count)
                {
                    throw new CliInputException($"curve file {path}: field \"covariance[{i}]\" must be an array of {rows.Count} numbers");
                }

                var j = 0;
                foreach (var v in rows[i].EnumerateArray())
                {
                    if (v.ValueKind != JsonValueKind.Number)
                    {
                        throw new CliInputException($"curve file {path}: field \"covariance[{i}][{j}]\" must be a number");
                    }

                    m[i, j++] = v.GetDouble();
                }
            }

            double? gf = null;
            if (root.TryGetProperty("genomeFactor", out var gEl) && gEl.ValueKind == JsonValueKind.Number)
            {
                gf = gEl.GetDouble();
                if (!(gf > 0 && gf <= 1))
                {
                    throw new CliInputException($"curve file {path}: field \"genomeFactor\" must be in (0, 1]");
                }
            }

            try
            {
                return (CalibrationCurve.Create(assay, model, cC, alpha, beta, new CovarianceMatrix(m)), gf);
            }
            catch (DosimetryInputException ex)
            {
                throw new CliInputException($"curve file {path}: {ex.Message}");
            }
        }
    }

    public static string Format(double v, string format = "G6") => v.ToString(format, CultureInfo.InvariantCulture);
}
