namespace LauncherFunctions;

/// <summary>Numeric functions: a double and an int parameter, and one that can throw.</summary>
public static class Math
{
    public static double CalPow(double @base, int exponent) => System.Math.Pow(@base, exponent);

    public static int Divide(int a, int b) => a / b;

    public static long Square(long x) => x * x;
}
