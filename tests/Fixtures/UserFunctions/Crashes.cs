using System.Diagnostics;

namespace UserFunctions;

/// <summary>Calls that kill their own worker, as a segfault in native code would: no exception, no last word.</summary>
public static class Crashes
{
    /// <summary>x * x, except that the call with x = <paramref name="dieAt"/> kills its process instead.</summary>
    public static long SquareOrDie(long x, long dieAt)
    {
        if (x == dieAt)
        {
            using var self = Process.GetCurrentProcess();
            self.Kill();
        }
        return x * x;
    }
}
