using System.Diagnostics;
using System.Globalization;

namespace LauncherFunctions;

/// <summary>Functions that do to the worker process that runs them what a test needs: announce, hang or kill it.</summary>
public static class Processes
{
    /// <summary>Announces itself on stdout (which the launcher forwards to its stderr), then never returns.</summary>
    public static int Hang(int ignored)
    {
        Console.WriteLine($"hanging in {Environment.ProcessId}");
        Thread.Sleep(Timeout.Infinite);
        return ignored;
    }

    /// <summary>
    /// Squares <paramref name="x"/>. Given <paramref name="crashOnceIn"/>, a directory, the first call for each x kills
    /// its own worker instead (SIGKILL, a crash the pool cannot tell from any other), after leaving a file named x
    /// there that holds the worker's pid: the call succeeds only if it is retried.
    /// </summary>
    public static long SquareAfterOneCrash(long x, string? crashOnceIn = null)
    {
        if (crashOnceIn is not null)
        {
            var marker = Path.Combine(crashOnceIn, x.ToString(CultureInfo.InvariantCulture));
            if (!File.Exists(marker))
            {
                File.WriteAllText(marker, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
                using var self = Process.GetCurrentProcess();
                self.Kill();
            }
        }
        return x * x;
    }

    /// <summary>Returns <paramref name="x"/> at once, or never when it is negative: a call that needs a timeout.</summary>
    public static int HangWhenNegative(int x)
    {
        if (x < 0) Thread.Sleep(Timeout.Infinite);
        return x;
    }

    /// <summary>Returns <paramref name="x"/>, except that the call with x = <paramref name="failAt"/> ends its worker with Environment.FailFast.</summary>
    public static int FailFastAt(int x, int failAt)
    {
        if (x == failAt) Environment.FailFast($"boom on {x}");
        return x;
    }

    /// <summary>Kills its own worker, every time: a crash loop.</summary>
    public static int KillOwnWorker(int x)
    {
        using var self = Process.GetCurrentProcess();
        self.Kill();
        return x;
    }
}
