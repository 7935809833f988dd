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

    /// <summary>
    /// Returns <paramref name="payload"/>, except that a payload whose first byte is 0xFF kills the process instead, while
    /// the worker still holds the frame that brought it.
    /// </summary>
    public static byte[] EchoOrDie(byte[] payload)
    {
        if (payload is [0xFF, ..])
        {
            using var self = Process.GetCurrentProcess();
            self.Kill();
        }
        return payload;
    }

    /// <summary>
    /// x * x, except that each call whose x is a positive multiple of <paramref name="every"/> kills its process the
    /// first time it runs, leaving a file named x in <paramref name="markerDirectory"/> so that the next run succeeds.
    /// </summary>
    public static long SquareAfterOneCrashEvery(long x, long every, string markerDirectory)
    {
        var marker = Path.Combine(markerDirectory, x.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (x > 0 && x % every == 0 && !File.Exists(marker))
        {
            File.WriteAllText(marker, "");
            using var self = Process.GetCurrentProcess();
            self.Kill();
        }
        return x * x;
    }
}
