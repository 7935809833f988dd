namespace UserFunctions;

/// <summary>Plain functions (Python experiment 000): cal_pow with uneven work, and small helpers.</summary>
public static class Plain
{
    /// <summary>
    /// cal_pow: randomly loops either millions of times or a few times before returning
    /// base ** exponent, so some items take far longer than others.
    /// </summary>
    public static double CalPow(double @base, int exponent)
    {
        Console.WriteLine($"ProcessQueue starts processing {Describe(@base, exponent)}.");
        var spins = Random.Shared.Next(1, 3) == 1 ? Random.Shared.Next(1_000_000, 10_000_000) : Random.Shared.Next(1, 10);
        var sink = 0L;
        for (var i = spins; i != 0; i--) sink += i & 1;
        GC.KeepAlive(sink);
        Console.WriteLine($"ProcessQueue finishes processing {Describe(@base, exponent)}.");
        return Math.Pow(@base, exponent);
    }

    public static int Square(int x) => x * x;

    public static int Add(int a, int b) => a + b;

    public static long Identity(long x) => x;

    public static byte[] Echo(byte[] payload) => payload;

    public static int Divide(int a, int b) => a / b;

    public static int HundredDividedBy(int x) => 100 / x;

    public static string Text(int length) => new('x', length);

    public static string Greet(string name, string greeting = "Hello") => $"{greeting}, {name}!";

    public static async Task<int> SquareLater(int x)
    {
        await Task.Yield();
        return x * x;
    }

    private static string Describe(double @base, int exponent) => exponent == 2 ? $"{@base}" : $"{{'base': {@base}, 'exponent': {exponent}}}";
}
