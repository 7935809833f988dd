namespace LauncherFunctions;

/// <summary>Functions that tell the tests about the worker process that runs them.</summary>
public static class Processes
{
    /// <summary>The worker's process id, so a test can check the worker is gone after the launcher exits.</summary>
    public static int WorkerPid(int ignored) => Environment.ProcessId;

    /// <summary>Announces itself on stdout (which the launcher forwards to its stderr), then never returns.</summary>
    public static int Hang(int ignored)
    {
        Console.WriteLine($"hanging in {Environment.ProcessId}");
        Thread.Sleep(Timeout.Infinite);
        return ignored;
    }

    /// <summary>Returns <paramref name="x"/> at once, or never when it is negative: a call that needs a timeout.</summary>
    public static int HangWhenNegative(int x)
    {
        if (x < 0) Thread.Sleep(Timeout.Infinite);
        return x;
    }
}
