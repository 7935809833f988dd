namespace UserFunctions;

/// <summary>Python experiment 000, "Global Variables" under fork: a, b and c, read and reassigned in the child.</summary>
public static class Globals
{
    public static int A;

    public static double B;

    public static bool C;

    public static string Show(int ignored) => $"a={A}, b={B}, c={C}";

    /// <summary>Python's child: reassigns a and c, then shows what it holds.</summary>
    public static string ReassignAAndC(int ignored)
    {
        A = 5;
        C = false;
        return Show(ignored);
    }
}
