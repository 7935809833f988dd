namespace UserFunctions;

/// <summary>Calls that block on the file system until a test creates the file or kills their worker.</summary>
public static class Blocking
{
    public static int WaitForFile(string path)
    {
        FileGate.WaitFor(path, TimeSpan.FromMinutes(5));
        return 1;
    }

    /// <summary>Says on stdout that it waits (a launcher forwards that to its stderr), then returns once <paramref name="path"/> exists.</summary>
    public static int AnnounceThenWaitForFile(string path)
    {
        Console.WriteLine($"waiting in {Environment.ProcessId}");
        return WaitForFile(path);
    }

    /// <summary>Returns at once, with a value whose serialization hangs: the worker is stuck outside the call.</summary>
    public static HangingValue ReturnValueThatHangs(string neverFile) => new() { NeverFile = neverFile };

    /// <summary>The first attempt leaves the marker and blocks; a second attempt sees the marker and returns 2.</summary>
    public static int BlockOnFirstAttempt(string marker)
    {
        if (File.Exists(marker)) return 2;
        File.WriteAllText(marker, "first attempt");
        return WaitForFile(marker + ".never");
    }
}
