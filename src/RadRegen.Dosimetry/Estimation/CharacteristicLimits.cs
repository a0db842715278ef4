using RadRegen.Dosimetry.Calibration;
using RadRegen.Dosimetry.Numerics;

namespace RadRegen.Dosimetry.Estimation;

/// <summary>Characteristic limits for one number of scored cells.</summary>
/// <param name="Cells">Cells to be scored, n1.</param>
/// <param name="DecisionThreshold">y_d: the largest count not distinguishable from the control (a count above it is significant).</param>
/// <param name="DetectionLimit">y_z: the expected count that exceeds y_d with probability 1 − β.</param>
/// <param name="MinimumResolvableDose">Dose at yield (y_d + 1)/n1 on the curve, Gy.</param>
/// <param name="DoseAtDetectionLimit">Dose at yield y_z/n1 on the curve, Gy.</param>
public sealed record CharacteristicLimitsRow(long Cells, int DecisionThreshold, double DetectionLimit, double MinimumResolvableDose, double DoseAtDetectionLimit);

/// <summary>
/// Characteristic limits in the sense of ISO 11929 / ISO 19238 applied to dicentric counts (Biodose
/// Tools <c>calculate_characteristic_limits</c>): the decision threshold y_d is one less than the
/// smallest count y (1..100) whose exact two-sided Poisson test against the control is significant at
/// α with y/n1 above the control rate (two-sample conditional binomial test as R's
/// <c>poisson.test(c(y, y0), c(n1, n0))</c>, or one-sample against a known rate); the detection limit
/// is y_z = χ²_{1−β}(2(y_d + 1))/2. Doses are read from the curve estimate.
/// </summary>
public static class CharacteristicLimits
{
    /// <summary>Limits for a control given as counts (y0 aberrations in n0 cells).</summary>
    /// <exception cref="DosimetryInputException">Non-positive cell numbers, negative control count, or α, β outside (0, 1).</exception>
    public static IReadOnlyList<CharacteristicLimitsRow> Calculate(CalibrationCurve curve, long controlCells, long controlAberrations, IReadOnlyList<long> cells, double alpha = 0.05, double beta = 0.10)
    {
        ArgumentNullException.ThrowIfNull(curve);
        ArgumentNullException.ThrowIfNull(cells);
        if (controlCells <= 0)
        {
            throw new DosimetryInputException("--control-cells", $"must be a positive number of cells (got {controlCells})");
        }

        if (controlAberrations < 0)
        {
            throw new DosimetryInputException("--control-aberrations", $"must not be negative (got {controlAberrations})");
        }

        return Rows(curve, cells, alpha, beta, (y, n1) =>
            Stats.BinomialTwoSidedP(y, y + (int)controlAberrations, n1 / (double)(n1 + controlCells)),
            (y, n1) => y / (double)n1 > controlAberrations / (double)controlCells);
    }

    /// <summary>Limits for a control given as a known rate μ0 (aberrations per cell).</summary>
    public static IReadOnlyList<CharacteristicLimitsRow> CalculateForRate(CalibrationCurve curve, double controlRate, IReadOnlyList<long> cells, double alpha = 0.05, double beta = 0.10)
    {
        ArgumentNullException.ThrowIfNull(curve);
        ArgumentNullException.ThrowIfNull(cells);
        if (!(controlRate >= 0) || double.IsInfinity(controlRate))
        {
            throw new DosimetryInputException("--control-rate", $"must be ≥ 0 (got {controlRate})");
        }

        return Rows(curve, cells, alpha, beta, (y, n1) => Stats.PoissonTwoSidedP(y, controlRate * n1), (y, n1) => y / (double)n1 > controlRate);
    }

    private static List<CharacteristicLimitsRow> Rows(CalibrationCurve curve, IReadOnlyList<long> cells, double alpha, double beta, Func<int, long, double> pValue, Func<int, long, bool> above)
    {
        if (!(alpha > 0 && alpha < 1))
        {
            throw new DosimetryInputException("alpha", $"must be in (0, 1) (got {alpha})");
        }

        if (!(beta > 0 && beta < 1))
        {
            throw new DosimetryInputException("beta", $"must be in (0, 1) (got {beta})");
        }

        var rows = new List<CharacteristicLimitsRow>();
        for (var i = 0; i < cells.Count; i++)
        {
            var n1 = cells[i];
            if (n1 <= 0)
            {
                throw new DosimetryInputException($"--cells value {i + 1}", $"must be a positive number of cells (got {n1})");
            }

            var yd = -1;
            for (var y = 1; y <= 100; y++)
            {
                if (above(y, n1) && pValue(y, n1) < alpha)
                {
                    yd = y - 1;
                    break;
                }
            }

            if (yd < 0)
            {
                throw new DosimetryInputException($"--cells value {i + 1}", $"no count up to 100 aberrations in {n1} cells differs significantly from the control; score more cells or check the control");
            }

            var yz = Stats.ChiSquareQuantile(1 - beta, 2 * (yd + 1)) / 2;
            rows.Add(new CharacteristicLimitsRow(n1, yd, yz, curve.Dose((yd + 1) / (double)n1), curve.Dose(yz / n1)));
        }

        return rows;
    }
}
