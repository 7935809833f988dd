namespace Supervisor.Benchmarks;

/// <summary>A scenario computed a wrong result: a fast wrong answer is no result, so the run exits non-zero.</summary>
internal sealed class BenchmarkFailedException : Exception
{
    public BenchmarkFailedException()
    {
    }

    public BenchmarkFailedException(string message) : base(message)
    {
    }

    public BenchmarkFailedException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public static void ThrowIfNot(bool condition, string scenario, string what)
    {
        if (!condition) throw new BenchmarkFailedException($"{scenario}: wrong result: {what}");
    }
}
