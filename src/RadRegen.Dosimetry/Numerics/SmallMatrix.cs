namespace RadRegen.Dosimetry.Numerics;

/// <summary>Inversion of small symmetric positive-definite matrices (p ≤ 5) by Cholesky decomposition.</summary>
internal static class SmallMatrix
{
    /// <summary>Inverse of a symmetric positive-definite matrix, or null when it is not positive definite.</summary>
    public static double[,]? InvertSpd(double[,] a)
    {
        var n = a.GetLength(0);
        var l = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var s = a[i, j];
                for (var k = 0; k < j; k++)
                {
                    s -= l[i, k] * l[j, k];
                }

                if (i == j)
                {
                    if (!(s > 0))
                    {
                        return null;
                    }

                    l[i, i] = Math.Sqrt(s);
                }
                else
                {
                    l[i, j] = s / l[j, j];
                }
            }
        }

        // inv(L)
        var li = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            li[i, i] = 1 / l[i, i];
            for (var j = 0; j < i; j++)
            {
                var s = 0.0;
                for (var k = j; k < i; k++)
                {
                    s -= l[i, k] * li[k, j];
                }

                li[i, j] = s / l[i, i];
            }
        }

        // inv(A) = inv(L)ᵀ inv(L)
        var inv = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var s = 0.0;
                for (var k = i; k < n; k++)
                {
                    s += li[k, i] * li[k, j];
                }

                inv[i, j] = s;
                inv[j, i] = s;
            }
        }

        return inv;
    }

    /// <summary>Solves A x = b for symmetric positive-definite A; null when A is not positive definite.</summary>
    public static double[]? SolveSpd(double[,] a, double[] b)
    {
        var inv = InvertSpd(a);
        if (inv is null)
        {
            return null;
        }

        var n = b.Length;
        var x = new double[n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                x[i] += inv[i, j] * b[j];
            }
        }

        return x;
    }
}
