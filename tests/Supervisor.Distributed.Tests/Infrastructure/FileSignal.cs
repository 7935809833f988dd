namespace Supervisor.Distributed.Tests.Infrastructure;

/// <summary>Waits for a file another process creates: the signal a test waits on instead of a sleep.</summary>
internal static class FileSignal
{
    public static async Task WaitForAsync(string path, TimeSpan timeout)
    {
        using var watcher = new FileSystemWatcher(Path.GetDirectoryName(path)!, Path.GetFileName(path)) { EnableRaisingEvents = true };
        var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        watcher.Created += (_, _) => created.TrySetResult();
        // Checked after the watcher is on, so a file created in between is not missed.
        if (File.Exists(path)) return;
        await created.Task.WaitAsync(timeout);
    }
}
