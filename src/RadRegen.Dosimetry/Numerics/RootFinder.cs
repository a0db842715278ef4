namespace RadRegen.Dosimetry.Numerics;

/// <summary>
/// Brent's method (Brent 1973, "Algorithms for Minimization without Derivatives", ch. 4) on a
/// bracketing interval. The issue asks for doses solved to 1e-9 Gy; we stop at an absolute
/// tolerance of 1e-12 (relative 4·ε for large roots), well inside that.
/// </summary>
internal static class RootFinder
{
    /// <summary>Absolute tolerance used by default: 1e-12.</summary>
    public const double DefaultTolerance = 1e-12;

    /// <summary>Finds x in [a, b] with f(x) = 0; f(a) and f(b) must not have the same sign.</summary>
    /// <returns>The root, or null when it is not bracketed or f is not finite.</returns>
    public static double? Brent(Func<double, double> f, double a, double b, double tolerance = DefaultTolerance, int maxIterations = 300)
    {
        double fa = f(a), fb = f(b);
        if (double.IsNaN(fa) || double.IsNaN(fb))
        {
            return null;
        }

        if (fa == 0)
        {
            return a;
        }

        if (fb == 0)
        {
            return b;
        }

        if (Math.Sign(fa) == Math.Sign(fb))
        {
            return null;
        }

        double c = a, fc = fa, d = b - a, e = d;
        for (var i = 0; i < maxIterations; i++)
        {
            if (Math.Sign(fb) == Math.Sign(fc))
            {
                c = a;
                fc = fa;
                d = b - a;
                e = d;
            }

            if (Math.Abs(fc) < Math.Abs(fb))
            {
                a = b;
                b = c;
                c = a;
                fa = fb;
                fb = fc;
                fc = fa;
            }

            var tol = (2 * double.Epsilon) + (4 * 1.1102230246251565e-16 * Math.Abs(b)) + (0.5 * tolerance);
            var m = 0.5 * (c - b);
            if (Math.Abs(m) <= tol || fb == 0)
            {
                return b;
            }

            if (Math.Abs(e) < tol || Math.Abs(fa) <= Math.Abs(fb))
            {
                d = m;
                e = m;
            }
            else
            {
                double p, q, r;
                var s = fb / fa;
                if (a == c)
                {
                    p = 2 * m * s;
                    q = 1 - s;
                }
                else
                {
                    q = fa / fc;
                    r = fb / fc;
                    p = s * ((2 * m * q * (q - r)) - ((b - a) * (r - 1)));
                    q = (q - 1) * (r - 1) * (s - 1);
                }

                if (p > 0)
                {
                    q = -q;
                }
                else
                {
                    p = -p;
                }

                if (2 * p < Math.Min((3 * m * q) - Math.Abs(tol * q), Math.Abs(e * q)))
                {
                    e = d;
                    d = p / q;
                }
                else
                {
                    d = m;
                    e = m;
                }
            }

            a = b;
            fa = fb;
            b += Math.Abs(d) > tol ? d : (m > 0 ? tol : -tol);
            fb = f(b);
            if (double.IsNaN(fb))
            {
                return null;
            }
        }

        return b;
    }
}
