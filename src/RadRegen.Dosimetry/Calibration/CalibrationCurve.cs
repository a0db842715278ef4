namespace RadRegen.Dosimetry.Calibration;

/// <summary>The cytogenetic assay a curve was made for.</summary>
public enum Assay
{
    /// <summary>Dicentric chromosomes (IAEA 2011 ch. 9); the gold standard for recent exposure.</summary>
    Dicentric,

    /// <summary>Micronuclei in binucleated cells (CBMN; ISO 17099).</summary>
    Micronucleus,

    /// <summary>Translocations by FISH painting (IAEA 2011 ch. 10; ISO 20046); old exposures.</summary>
    Translocation,
}

/// <summary>The dose–effect model.</summary>
public enum CurveModel
{
    /// <summary>Y = C + αD + βD² (low-LET radiation, IAEA 2011 §9.4).</summary>
    LinearQuadratic,

    /// <summary>Y = C + αD (high-LET radiation such as neutrons, IAEA 2011 §9.4).</summary>
    Linear,
}

/// <summary>An immutable symmetric 3×3 covariance matrix of (C, α, β).</summary>
public sealed class CovarianceMatrix : IEquatable<CovarianceMatrix>
{
    private readonly double[,] _m;

    /// <summary>Creates the matrix from a 3×3 array (it is copied and checked).</summary>
    /// <exception cref="DosimetryInputException">Not 3×3, not finite, not symmetric, or a negative variance.</exception>
    public CovarianceMatrix(double[,] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.GetLength(0) != 3 || values.GetLength(1) != 3)
        {
            throw new DosimetryInputException("covariance", "must be a 3×3 matrix for (C, alpha, beta)");
        }

        _m = (double[,])values.Clone();
        for (var i = 0; i < 3; i++)
        {
            if (_m[i, i] < 0)
            {
                throw new DosimetryInputException($"covariance[{i}][{i}]", "a variance must not be negative");
            }

            for (var j = 0; j < 3; j++)
            {
                if (!double.IsFinite(_m[i, j]))
                {
                    throw new DosimetryInputException($"covariance[{i}][{j}]", "must be a finite number");
                }

                var tol = 1e-9 * Math.Max(Math.Abs(_m[i, j]), Math.Abs(_m[j, i]));
                if (Math.Abs(_m[i, j] - _m[j, i]) > tol)
                {
                    throw new DosimetryInputException($"covariance[{i}][{j}]", "the matrix must be symmetric");
                }
            }
        }
    }

    /// <summary>The all-zero matrix (a curve taken as exact).</summary>
    public static CovarianceMatrix Zero { get; } = new(new double[3, 3]);

    /// <summary>Element (i, j); indices 0 = C, 1 = α, 2 = β.</summary>
    public double this[int i, int j] => _m[i, j];

    /// <summary>A copy as nested arrays (for JSON).</summary>
    public double[][] ToRows() =>
        [[_m[0, 0], _m[0, 1], _m[0, 2]], [_m[1, 0], _m[1, 1], _m[1, 2]], [_m[2, 0], _m[2, 1], _m[2, 2]]];

    /// <summary>A copy as a 2-D array.</summary>
    public double[,] ToArray() => (double[,])_m.Clone();

    /// <summary>Returns the matrix of (C, α, G·β): the β row and column scaled by g.</summary>
    public CovarianceMatrix ScaleBeta(double g)
    {
        var m = ToArray();
        for (var i = 0; i < 3; i++)
        {
            m[i, 2] *= g;
            m[2, i] *= g;
        }

        return new CovarianceMatrix(m);
    }

    /// <summary>Returns the matrix multiplied by a factor (quasi-Poisson dispersion, genome factor).</summary>
    public CovarianceMatrix Scale(double factor)
    {
        var m = ToArray();
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                m[i, j] *= factor;
            }
        }

        return new CovarianceMatrix(m);
    }

    /// <summary>Quadratic form gᵀ V g.</summary>
    public double QuadraticForm(double g0, double g1, double g2) =>
        (g0 * g0 * _m[0, 0]) + (g1 * g1 * _m[1, 1]) + (g2 * g2 * _m[2, 2])
        + (2 * g0 * g1 * _m[0, 1]) + (2 * g0 * g2 * _m[0, 2]) + (2 * g1 * g2 * _m[1, 2]);

    /// <inheritdoc/>
    public bool Equals(CovarianceMatrix? other)
    {
        if (other is null)
        {
            return false;
        }

        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                if (!_m[i, j].Equals(other._m[i, j]))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as CovarianceMatrix);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_m[0, 0], _m[1, 1], _m[2, 2], _m[0, 1], _m[0, 2], _m[1, 2]);
}

/// <summary>
/// A calibration curve Y(D) = C + αD + G·βD² with the covariance of (C, α, β): fitted by
/// <see cref="CurveFitter"/> or entered from a publication (IAEA 2011 §9.7.3 prints curves in this
/// form). For a linear curve β = 0 and its row and column of the covariance are 0.
/// </summary>
/// <param name="Assay">Assay the curve was made for.</param>
/// <param name="Model">Linear or linear-quadratic.</param>
/// <param name="C">Background yield (aberrations per cell at 0 Gy).</param>
/// <param name="Alpha">Linear coefficient α (per Gy).</param>
/// <param name="Beta">Quadratic coefficient β (per Gy²); 0 for a linear curve.</param>
/// <param name="Covariance">Covariance of (C, α, β).</param>
public sealed record CalibrationCurve(Assay Assay, CurveModel Model, double C, double Alpha, double Beta, CovarianceMatrix Covariance)
{
    /// <summary>Checks the values and returns the curve.</summary>
    /// <exception cref="DosimetryInputException">Coefficients not finite, α and β both ≤ 0, or β ≠ 0 for a linear curve.</exception>
    public static CalibrationCurve Create(Assay assay, CurveModel model, double c, double alpha, double beta, CovarianceMatrix covariance)
    {
        ArgumentNullException.ThrowIfNull(covariance);
        if (!double.IsFinite(c) || !double.IsFinite(alpha) || !double.IsFinite(beta))
        {
            throw new DosimetryInputException("coefficients", "C, alpha and beta must be finite numbers");
        }

        if (model == CurveModel.Linear && beta != 0)
        {
            throw new DosimetryInputException("coefficients.beta", "must be 0 (or absent) for a linear curve");
        }

        if (model == CurveModel.Linear && alpha <= 0)
        {
            throw new DosimetryInputException("coefficients.alpha", "must be positive for a linear curve");
        }

        if (model == CurveModel.LinearQuadratic && (beta < 0 || (beta == 0 && alpha <= 0)))
        {
            throw new DosimetryInputException("coefficients", "the curve must increase with dose (beta ≥ 0, and alpha > 0 when beta = 0)");
        }

        if (model == CurveModel.Linear && (covariance[2, 2] != 0 || covariance[0, 2] != 0 || covariance[1, 2] != 0))
        {
            throw new DosimetryInputException("covariance", "the beta row and column must be 0 for a linear curve");
        }

        return new CalibrationCurve(assay, model, c, alpha, beta, covariance);
    }

    /// <summary>Number of coefficients the model has (3 for LQ, 2 for linear): the degrees of freedom of Merkle's R.</summary>
    public int ParameterCount => Model == CurveModel.Linear ? 2 : 3;

    /// <summary>Expected yield Y(D) = C + αD + G·βD² (Lea–Catcheside G, 1 for acute exposure).</summary>
    public double Yield(double dose, double g = 1) => C + (Alpha * dose) + (g * Beta * dose * dose);

    /// <summary>
    /// Variance of the fitted yield at dose D (Merkle 1983; Biodose Tools <c>yield_error_fun</c>):
    /// V_CC + V_αα D² + V_ββ G² D⁴ + 2V_Cα D + 2V_Cβ G D² + 2V_αβ G D³.
    /// </summary>
    public double YieldVariance(double dose, double g = 1) =>
        Covariance.QuadraticForm(1, dose, g * dose * dose);

    /// <summary>
    /// Dose at which the curve reaches yield y, closed form (IAEA 2011 §9.7.1):
    /// D = (−α + √(α² + 4βG(y − C)))/(2βG); D = (y − C)/α when βG = 0. 0 when y ≤ C.
    /// </summary>
    public double Dose(double yield, double g = 1)
    {
        var b = Beta * g;
        var dy = yield - C;
        if (dy <= 0)
        {
            return 0;
        }

        if (b == 0)
        {
            return dy / Alpha;
        }

        // Rationalised form 2·dy/(α + √(α² + 4b·dy)) avoids cancellation when 4b·dy ≪ α².
        var s = Math.Sqrt((Alpha * Alpha) + (4 * b * dy));
        return 2 * dy / (Alpha + s);
    }

    /// <summary>
    /// Gradient of the dose with respect to (C, α, β, y) at yield y (IAEA 2001 TRS-405 delta method;
    /// reference/dosimetry/methods.md): with s = √(α² + 4βG(y − C)), ∂D/∂C = −1/s, ∂D/∂y = 1/s, ∂D/∂α = −D/s,
    /// ∂D/∂β = −G·D²/s (equivalent to the forms in reference/dosimetry/methods.md, by implicit differentiation of
    /// C + αD + GβD² = y).
    /// </summary>
    public (double dC, double dAlpha, double dBeta, double dYield) DoseGradient(double yield, double g = 1)
    {
        var d = Dose(yield, g);
        var slope = Alpha + (2 * g * Beta * d);
        return (-1 / slope, -d / slope, -g * d * d / slope, 1 / slope);
    }

    /// <summary>The curve with coefficients and covariance divided by a genome factor Fp/FG (translocations: observed → full genome, reference/dosimetry/methods.md).</summary>
    public CalibrationCurve ToFullGenome(double genomeFactor) =>
        this with { C = C / genomeFactor, Alpha = Alpha / genomeFactor, Beta = Beta / genomeFactor, Covariance = Covariance.Scale(1 / (genomeFactor * genomeFactor)) };
}
