namespace UserFunctions;

/// <summary>Waits for a file to appear, woken by the file system rather than by polling.</summary>
public static class FileGate
{
    public static void WaitFor(string path, TimeSpan timeout)
    {
        using var appeared = new ManualResetEventSlim();
        using var watcher = new FileSystemWatcher(Path.GetDirectoryName(path)!, Path.GetFileName(path));
        watcher.Created += (_, _) => appeared.Set();
        watcher.Renamed += (_, _) => appeared.Set();
        watcher.EnableRaisingEvents = true;
        if (File.Exists(path)) return;
        if (!appeared.Wait(timeout) && !File.Exists(path)) throw new TimeoutException($"{path} did not appear within {timeout}.");
    }
}
