using System.Diagnostics.CodeAnalysis;

namespace Supervisor.Benchmarks;

/// <summary>The worker-side functions, as python_mp.py's module-level ones. Public: workers reach only public static methods.</summary>
[SuppressMessage("Maintainability", "CA1515:Consider making public types internal", Justification = "Workers can only run public static methods of public types.")]
public static class BenchFunctions
{
    /// <summary>
    /// A C# countdown is far cheaper than CPython's, so busy(n) runs n × this many iterations to cost about what
    /// python's busy(n) costs (the calibration is in docs/benchmarks.md).
    /// </summary>
    public const long BusyScale = 50;

    /// <summary>python's ident.</summary>
    public static long Ident(long x) => x;

    /// <summary>python's ident on bytes: the payload echo.</summary>
    public static byte[] Echo(byte[] data) => data;

    /// <summary>python's consumer body: d * d.</summary>
    public static long Square(long x) => x * x;

    /// <summary>
    /// python's busy(n), scaled by <see cref="BusyScale"/>. The loop accumulates into a value the result depends
    /// on, so the JIT cannot remove it; returns n when the count is right, -1 otherwise.
    /// </summary>
    public static long Busy(long n)
    {
        var iterations = n * BusyScale;
        var odd = 0L;
        for (var t = iterations; t != 0; t--) odd += t & 1;
        return odd == (iterations + 1) / 2 ? n : -1;
    }
}
