namespace ProcessQueueDemo;

/// <summary>The demo's user function, plain in shape: the supervisor never asks it to know about processes.</summary>
public static class UnevenWork
{
    /// <summary>
    /// cal_pow: loops either millions of times or a handful, at random, to mimic items that need far more work than
    /// others; then returns base ** exponent.
    /// </summary>
    public static double CalPow(double @base, int exponent)
    {
        var shown = exponent == 2 ? $"{@base}" : $"{{'base': {@base}, 'exponent': {exponent}}}";
        Console.WriteLine($"ProcessQueue starts processing {shown}.");
        var spins = Random.Shared.Next(1, 3) == 1 ? Random.Shared.Next(1_000_000, 10_000_000) : Random.Shared.Next(1, 10);
        var sink = 0L;
        for (var i = spins; i != 0; i--) sink += i & 1;
        GC.KeepAlive(sink);
        Console.WriteLine($"ProcessQueue finishes processing {shown}.");
        return Math.Pow(@base, exponent);
    }
}
