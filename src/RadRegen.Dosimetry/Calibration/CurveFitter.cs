using MathNet.Numerics;
using MathNet.Numerics.Distributions;
using RadRegen.Dosimetry.Counts;
using RadRegen.Dosimetry.Numerics;

namespace RadRegen.Dosimetry.Calibration;

/// <summary>Which error family the fit should use.</summary>
public enum FitFamily
{
    /// <summary>Poisson when the Pearson dispersion φ ≤ 1, quasi-Poisson when φ &gt; 1 (Biodose Tools "automatic").</summary>
    Automatic,

    /// <summary>Poisson: standard errors unscaled, z statistics.</summary>
    Poisson,

    /// <summary>Quasi-Poisson: standard errors × √φ, t statistics on n − p degrees of freedom.</summary>
    QuasiPoisson,
}

/// <summary>How the reported fit was obtained.</summary>
public enum FitMethod
{
    /// <summary>Poisson maximum likelihood (GLM, identity link).</summary>
    Poisson,

    /// <summary>Poisson maximum likelihood with covariance scaled by the dispersion φ.</summary>
    QuasiPoisson,

    /// <summary>Constrained maximum likelihood (C, α, β ≥ 0) after the GLM failed.</summary>
    Constrained,
}

/// <summary>One fitted coefficient with its Wald test.</summary>
/// <param name="Name">"C", "alpha" or "beta".</param>
/// <param name="Estimate">Estimated value.</param>
/// <param name="StandardError">Standard error (scaled by √φ for quasi-Poisson).</param>
/// <param name="Statistic">Estimate / SE: z for Poisson, t for quasi-Poisson.</param>
/// <param name="PValue">Two-sided p-value, never above 1.</param>
public sealed record CoefficientEstimate(string Name, double Estimate, double StandardError, double Statistic, double PValue);

/// <summary>The result of a calibration fit with every statistic a laboratory reports.</summary>
/// <param name="Curve">The fitted curve with its covariance.</param>
/// <param name="Method">Poisson, quasi-Poisson or constrained ML.</param>
/// <param name="Coefficients">C, α (and β) with SE, statistic and p.</param>
/// <param name="Correlation">Correlation matrix of the coefficients (p × p).</param>
/// <param name="Dispersion">Pearson dispersion φ = χ²/df (NaN when df = 0).</param>
/// <param name="LogLik">Poisson log-likelihood on the aggregated counts; null for quasi-Poisson (as R).</param>
/// <param name="Deviance">Residual deviance 2Σ[X·ln(X/μ) − (X − μ)].</param>
/// <param name="PearsonChi2">Pearson χ² = Σ(X − μ)²/μ.</param>
/// <param name="Df">Residual degrees of freedom n − p.</param>
/// <param name="Aic">AIC = −2ℓ + 2p; null for quasi-Poisson.</param>
/// <param name="Bic">BIC = −2ℓ + p·ln n; null for quasi-Poisson.</param>
/// <param name="Warnings">Things the person should know (fallback used, coefficient on a bound, …).</param>
public sealed record CalibrationFit(
    CalibrationCurve Curve,
    FitMethod Method,
    IReadOnlyList<CoefficientEstimate> Coefficients,
    IReadOnlyList<IReadOnlyList<double>> Correlation,
    double Dispersion,
    double? LogLik,
    double Deviance,
    double PearsonChi2,
    int Df,
    double? Aic,
    double? Bic,
    IReadOnlyList<string> Warnings);

/// <summary>
/// Fits calibration curves by Poisson maximum likelihood on the aggregated counts (Edwards et al.
/// 1979; IAEA 2011 §9.4 and Appendix; Biodose Tools <c>fit_glm_method</c>): E[X] = N(C + αD + βD²),
/// a Poisson GLM with identity link and no intercept, solved by iteratively reweighted least squares
/// (Fisher scoring, R's <c>glm.fit</c> start μ = X + 0.1). The same estimates come from full
/// distributions or from aggregated (D, N, X) tables. When the GLM cannot keep every fitted mean
/// positive it falls back to constrained maximum likelihood with C, α, β ≥ 0 (Oliveira et al. 2016,
/// Biometrical J 58:259) and says so.
/// </summary>
public static class CurveFitter
{
    private static readonly string[] Names = ["C", "alpha", "beta"];

    /// <summary>Fits a curve to calibration rows (each with a dose).</summary>
    /// <exception cref="DosimetryInputException">Too few dose points, a row without dose, or no aberrations at all.</exception>
    public static CalibrationFit Fit(IReadOnlyList<CountRow> rows, CurveModel model = CurveModel.LinearQuadratic, Assay assay = Assay.Dicentric, FitFamily family = FitFamily.Automatic)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var p = model == CurveModel.Linear ? 2 : 3;
        var n = rows.Count;
        if (n < p)
        {
            throw new DosimetryInputException("counts", $"a {(p == 3 ? "linear-quadratic" : "linear")} fit needs at least {p} dose points, got {n}");
        }

        var dose = new double[n];
        var cells = new double[n];
        var x = new double[n];
        double totalX = 0;
        for (var i = 0; i < n; i++)
        {
            dose[i] = rows[i].Dose ?? throw new DosimetryInputException($"counts row {rows[i].Id}", "a calibration row needs a dose D");
            cells[i] = rows[i].Cells;
            x[i] = rows[i].Aberrations;
            totalX += x[i];
        }

        if (totalX == 0)
        {
            throw new DosimetryInputException("counts", "no aberrations were scored at any dose; nothing to fit");
        }

        if (dose.Distinct().Count() < p)
        {
            throw new DosimetryInputException("counts", $"the fit needs at least {p} distinct doses");
        }

        var warnings = new List<string>();
        var glm = Irls(dose, cells, x, p);
        FitMethod method;
        double[,] info;
        double[] theta;
        bool[] free = [true, true, p == 3];
        if (glm is { } g)
        {
            theta = g.Theta;
            info = WeightedInformation(dose, cells, g.Weights, p);
            method = FitMethod.Poisson;
        }
        else
        {
            (theta, free) = ConstrainedMl(dose, cells, x, p);
            info = ObservedInformation(dose, x, theta, p);
            method = FitMethod.Constrained;
            warnings.Add("The Poisson GLM with identity link failed (a fitted mean would not be positive); constrained maximum likelihood with C, alpha, beta ≥ 0 was used instead (Oliveira et al. 2016).");
            for (var j = 0; j < p; j++)
            {
                if (!free[j])
                {
                    warnings.Add($"{Names[j]} is fixed at its bound 0; it has no standard error and is treated as exact.");
                }
            }
        }

        // Covariance: inverse information over the free coefficients.
        var freeIdx = Enumerable.Range(0, p).Where(j => free[j]).ToArray();
        var sub = new double[freeIdx.Length, freeIdx.Length];
        for (var a = 0; a < freeIdx.Length; a++)
        {
            for (var b = 0; b < freeIdx.Length; b++)
            {
                sub[a, b] = info[freeIdx[a], freeIdx[b]];
            }
        }

        var subInv = SmallMatrix.InvertSpd(sub) ?? throw new DosimetryInputException("counts", "the information matrix is singular; the doses do not determine the curve");
        var cov = new double[3, 3];
        for (var a = 0; a < freeIdx.Length; a++)
        {
            for (var b = 0; b < freeIdx.Length; b++)
            {
                cov[freeIdx[a], freeIdx[b]] = subInv[a, b];
            }
        }

        // Goodness of fit on the aggregated counts. The dispersion is R's summary.glm estimate
        // Σ w·(X − μ)²/df with the working weights of the last IRLS step (for the constrained fit,
        // the final means), which is Pearson χ²/df at convergence.
        double logLik = 0, deviance = 0, pearson = 0, pearsonWorking = 0;
        for (var i = 0; i < n; i++)
        {
            var m = cells[i] * Mu(theta, dose[i], p);
            logLik += (x[i] > 0 ? x[i] * Math.Log(m) : 0) - m - SpecialFunctions.GammaLn(x[i] + 1);
            deviance += PoissonDeviance(x[i], m);
            pearson += m > 0 ? (x[i] - m) * (x[i] - m) / m : 0;
            var w = glm is { } gw ? gw.Weights[i] : (m > 0 ? 1 / m : 0);
            pearsonWorking += w * (x[i] - m) * (x[i] - m);
        }

        var df = n - freeIdx.Length;
        var phi = df > 0 ? pearsonWorking / df : double.NaN;
        var quasi = family == FitFamily.QuasiPoisson || (family == FitFamily.Automatic && phi > 1);
        if (df == 0)
        {
            warnings.Add("No residual degrees of freedom (as many dose points as coefficients): dispersion and goodness of fit cannot be assessed.");
        }

        if (quasi && double.IsFinite(phi))
        {
            for (var i = 0; i < 3; i++)
            {
                for (var j = 0; j < 3; j++)
                {
                    cov[i, j] *= phi;
                }
            }

            if (method == FitMethod.Poisson)
            {
                method = FitMethod.QuasiPoisson;
            }

            warnings.Add($"Overdispersed calibration data (φ = {phi:G6} > 1): standard errors are multiplied by √φ (quasi-Poisson).");
        }

        var coefficients = new List<CoefficientEstimate>();
        var tDist = quasi && df > 0 ? new StudentT(0, 1, df) : null;
        for (var j = 0; j < p; j++)
        {
            var se = Math.Sqrt(cov[j, j]);
            var stat = se > 0 ? theta[j] / se : double.NaN;
            var pValue = double.IsNaN(stat) ? double.NaN
                : tDist is not null ? Math.Min(1, 2 * tDist.CumulativeDistribution(-Math.Abs(stat)))
                : Math.Min(1, 2 * Normal.CDF(0, 1, -Math.Abs(stat)));
            coefficients.Add(new CoefficientEstimate(Names[j], theta[j], se, stat, pValue));
        }

        var corr = new IReadOnlyList<double>[p];
        for (var i = 0; i < p; i++)
        {
            var row = new double[p];
            for (var j = 0; j < p; j++)
            {
                row[j] = cov[i, i] > 0 && cov[j, j] > 0 ? cov[i, j] / Math.Sqrt(cov[i, i] * cov[j, j]) : (i == j ? 1 : 0);
            }

            corr[i] = row;
        }

        var beta = p == 3 ? theta[2] : 0;
        if (theta[1] < 0 || beta < 0 || theta[0] < 0)
        {
            warnings.Add("A fitted coefficient is negative: the curve is not increasing over the whole dose range; check the data before using it for estimation.");
        }

        var curve = new CalibrationCurve(assay, model, theta[0], theta[1], beta, new CovarianceMatrix(cov));
        double? ll = quasi ? null : logLik;
        double? aic = quasi ? null : (-2 * logLik) + (2 * freeIdx.Length);
        double? bic = quasi ? null : (-2 * logLik) + (freeIdx.Length * Math.Log(n));
        return new CalibrationFit(curve, method, coefficients, corr, phi, ll, deviance, pearson, df, aic, bic, warnings);
    }

    /// <summary>
    /// Goodness of fit: P(χ²_df ≥ <paramref name="pearsonChi2"/>), the upper tail of the chi-square
    /// distribution (regularised upper incomplete gamma Q(df/2, χ²/2)); IAEA 2011 §9.4 and ISO 19238
    /// Annex D judge a calibration fit by its χ² on the residual degrees of freedom. NaN when df ≤ 0.
    /// </summary>
    public static double GoodnessOfFitP(double pearsonChi2, int df) =>
        df <= 0 || !double.IsFinite(pearsonChi2) || pearsonChi2 < 0 ? double.NaN : SpecialFunctions.GammaUpperRegularized(df / 2.0, pearsonChi2 / 2);

    private static double Mu(double[] theta, double d, int p) =>
        theta[0] + (theta[1] * d) + (p == 3 ? theta[2] * d * d : 0);

    private static double[] Row(double d, int p) => p == 3 ? [1, d, d * d] : [1, d];

    /// <summary>Fisher information Σ w·(N z)(N z)ᵀ with the GLM working weights w = 1/(Nμ).</summary>
    private static double[,] WeightedInformation(double[] dose, double[] cells, double[] weights, int p)
    {
        var info = new double[p, p];
        for (var i = 0; i < dose.Length; i++)
        {
            var z = Row(dose[i], p);
            var w = weights[i] * cells[i] * cells[i];
            for (var a = 0; a < p; a++)
            {
                for (var b = 0; b < p; b++)
                {
                    info[a, b] += w * z[a] * z[b];
                }
            }
        }

        return info;
    }

    /// <summary>Observed information −∂²ℓ: Σ X·z zᵀ/μ².</summary>
    private static double[,] ObservedInformation(double[] dose, double[] x, double[] theta, int p)
    {
        var info = new double[p, p];
        for (var i = 0; i < dose.Length; i++)
        {
            var z = Row(dose[i], p);
            var mu = Mu(theta, dose[i], p);
            if (x[i] == 0)
            {
                continue;
            }

            var w = x[i] / (mu * mu);
            for (var a = 0; a < p; a++)
            {
                for (var b = 0; b < p; b++)
                {
                    info[a, b] += w * z[a] * z[b];
                }
            }
        }

        return info;
    }

    /// <summary>
    /// IRLS for the identity-link Poisson GLM on counts X_i with model matrix N_i·(1, D, D²), step by
    /// step as R's <c>glm.fit</c> (R Core Team, stats package) so that results agree with R and
    /// Biodose Tools to rounding: start μ = X + 0.1; each step is the weighted least-squares fit with
    /// working weights 1/μ; step-halving towards the previous coefficients while a mean is not
    /// positive; stop when |dev − dev_old|/(|dev| + 0.1) &lt; 1e-8. The covariance uses the working
    /// weights of that last step, as R's <c>summary.glm</c> does. (The exact maximum differs from R's
    /// stopping point by about 1e-5 relative, far inside the standard errors.) Returns null when no
    /// valid coefficients are found or the iteration does not converge.
    /// </summary>
    private static (double[] Theta, double[] Weights)? Irls(double[] dose, double[] cells, double[] x, int p)
    {
        var n = dose.Length;
        var m = new double[n];
        double devOld = 0;
        for (var i = 0; i < n; i++)
        {
            m[i] = x[i] + 0.1;
            devOld += PoissonDeviance(x[i], m[i]);
        }

        double[]? theta = null;
        var weights = new double[n];
        for (var iter = 0; iter < 25; iter++)
        {
            var ztwz = new double[p, p];
            var ztwy = new double[p];
            for (var i = 0; i < n; i++)
            {
                var z = Row(dose[i], p);
                weights[i] = 1 / m[i];
                for (var a = 0; a < p; a++)
                {
                    var za = cells[i] * z[a];
                    ztwy[a] += weights[i] * za * x[i];
                    for (var b = 0; b < p; b++)
                    {
                        ztwz[a, b] += weights[i] * za * cells[i] * z[b];
                    }
                }
            }

            var next = SmallMatrix.SolveSpd(ztwz, ztwy);
            if (next is null)
            {
                return null;
            }

            var halvings = 0;
            while (!AllPositive(next, dose, p))
            {
                if (theta is null || halvings++ > 60)
                {
                    return null;
                }

                for (var j = 0; j < p; j++)
                {
                    next[j] = (next[j] + theta[j]) / 2;
                }
            }

            double dev = 0;
            for (var i = 0; i < n; i++)
            {
                m[i] = cells[i] * Mu(next, dose[i], p);
                dev += PoissonDeviance(x[i], m[i]);
            }

            theta = next;
            if (Math.Abs(dev - devOld) / (Math.Abs(dev) + 0.1) < 1e-8)
            {
                return halvings > 0 && OnBoundary(theta, dose, p) ? null : (theta, (double[])weights.Clone());
            }

            devOld = dev;
        }

        return null;
    }

    private static double PoissonDeviance(double x, double m) =>
        2 * ((x > 0 ? x * Math.Log(x / m) : 0) - (x - m));

    private static bool AllPositive(double[] theta, double[] dose, int p)
    {
        foreach (var d in dose)
        {
            if (!(Mu(theta, d, p) > 0))
            {
                return false;
            }
        }

        return true;
    }

    private static bool OnBoundary(double[] theta, double[] dose, int p)
    {
        foreach (var d in dose)
        {
            if (Mu(theta, d, p) < 1e-12)
            {
                return true;
            }
        }

        return false;
    }

    private static double MaxRelChange(double[] a, double[] b)
    {
        var max = 0.0;
        for (var j = 0; j < a.Length; j++)
        {
            max = Math.Max(max, Math.Abs(a[j] - b[j]) / Math.Max(Math.Abs(b[j]), 1e-300));
        }

        return max;
    }

    /// <summary>
    /// Maximises the (concave) Poisson log-likelihood ℓ(θ) = Σ[X ln(Nμ) − Nμ] subject to θ ≥ 0 by
    /// enumerating the faces of the orthant: on each face the free coefficients are fitted by Newton's
    /// method with backtracking, and the best feasible face maximum is the constrained maximum (a
    /// concave function's maximum over a convex polyhedron is the maximum of its face-restricted
    /// unconstrained maxima that are feasible).
    /// </summary>
    private static (double[] Theta, bool[] Free) ConstrainedMl(double[] dose, double[] cells, double[] x, int p)
    {
        double[]? best = null;
        bool[]? bestFree = null;
        var bestLl = double.NegativeInfinity;
        for (var mask = 1; mask < (1 << p); mask++)
        {
            var free = new bool[3];
            for (var j = 0; j < p; j++)
            {
                free[j] = (mask & (1 << j)) != 0;
            }

            var theta = NewtonOnFace(dose, cells, x, p, free);
            if (theta is null || theta.Take(p).Any(t => t < 0))
            {
                continue;
            }

            var ll = LogLikelihood(dose, cells, x, p, theta);
            if (ll > bestLl)
            {
                bestLl = ll;
                best = theta;
                bestFree = free;
            }
        }

        if (best is null || bestFree is null)
        {
            throw new DosimetryInputException("counts", "the calibration data cannot be fitted even with constrained maximum likelihood");
        }

        // A free coefficient that converged to exactly 0 behaves as fixed.
        return (best, bestFree);
    }

    private static double LogLikelihood(double[] dose, double[] cells, double[] x, int p, double[] theta)
    {
        var ll = 0.0;
        for (var i = 0; i < dose.Length; i++)
        {
            var mu = Mu(theta, dose[i], p);
            if (mu < 0 || (mu == 0 && x[i] > 0))
            {
                return double.NegativeInfinity;
            }

            ll += (x[i] > 0 ? x[i] * Math.Log(cells[i] * mu) : 0) - (cells[i] * mu);
        }

        return ll;
    }

    private static double[]? NewtonOnFace(double[] dose, double[] cells, double[] x, int p, bool[] free)
    {
        var idx = Enumerable.Range(0, p).Where(j => free[j]).ToArray();
        var k = idx.Length;
        var theta = new double[p];
        double totalX = 0, totalN = 0;
        for (var i = 0; i < dose.Length; i++)
        {
            totalX += x[i];
            totalN += cells[i];
        }

        foreach (var j in idx)
        {
            theta[j] = j == 0 ? Math.Max(totalX / totalN / 10, 1e-4) : 0.01;
        }

        var ll = LogLikelihood(dose, cells, x, p, theta);
        if (double.IsNegativeInfinity(ll))
        {
            return null;
        }

        for (var iter = 0; iter < 500; iter++)
        {
            var g = new double[k];
            var h = new double[k, k];
            for (var i = 0; i < dose.Length; i++)
            {
                var z = Row(dose[i], p);
                var mu = Mu(theta, dose[i], p);
                for (var a = 0; a < k; a++)
                {
                    g[a] += ((x[i] > 0 ? x[i] / mu : 0) - cells[i]) * z[idx[a]];
                    for (var b = 0; b < k; b++)
                    {
                        h[a, b] += (x[i] > 0 ? x[i] / (mu * mu) : 0) * z[idx[a]] * z[idx[b]];
                    }
                }
            }

            // Newton direction (or gradient ascent when the observed information is singular).
            var step = SmallMatrix.SolveSpd(h, g) ?? g.Select(v => v * 1e-6).ToArray();
            var t = 1.0;
            double[] candidate;
            double llNew;
            var tries = 0;
            do
            {
                candidate = (double[])theta.Clone();
                for (var a = 0; a < k; a++)
                {
                    candidate[idx[a]] += t * step[a];
                }

                llNew = LogLikelihood(dose, cells, x, p, candidate);
                t /= 2;
            }
            while ((double.IsNegativeInfinity(llNew) || llNew < ll - 1e-12) && ++tries < 80);

            if (tries >= 80)
            {
                return theta;
            }

            var change = MaxRelChange(theta, candidate);
            theta = candidate;
            ll = llNew;
            if (change < 1e-13)
            {
                return theta;
            }

            // A coefficient running off towards −∞ cannot be a feasible maximum on this face.
            if (idx.Any(j => theta[j] < -1e6))
            {
                return null;
            }
        }

        return theta;
    }
}
