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

    /// <summary>Announces itself on stdout, then returns once <paramref name="path"/> exists: a call a test ends when it chooses.</summary>
    public static string WaitForFile(string path)
    {
        using var created = new ManualResetEventSlim();
        using var watcher = new FileSystemWatcher(Path.GetDirectoryName(path)!, Path.GetFileName(path));
        watcher.Created += (_, _) => created.Set();
        watcher.EnableRaisingEvents = true;
        Console.WriteLine($"waiting in {Environment.ProcessId}");
        if (!File.Exists(path) && !created.Wait(TimeSpan.FromMinutes(2))) throw new TimeoutException($"{path} did not appear.");
        return "released";
    }

    /// <summary>Returns <paramref name="x"/> at once, or never when it is negative: a call that needs a timeout.</summary>
    public static int HangWhenNegative(int x)
    {
        if (x < 0) Thread.Sleep(Timeout.Infinite);
        return x;
    }
}
