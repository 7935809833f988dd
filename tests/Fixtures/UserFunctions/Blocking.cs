namespace UserFunctions;

/// <summary>Calls that block on the file system, to be killed while they run.</summary>
public static class Blocking
{
    public static int WaitForFile(string path)
    {
        FileGate.WaitFor(path, TimeSpan.FromMinutes(5));
        return 1;
    }

    /// <summary>The first attempt leaves the marker and blocks; a second attempt sees the marker and returns 2.</summary>
    public static int BlockOnFirstAttempt(string marker)
    {
        if (File.Exists(marker)) return 2;
        File.WriteAllText(marker, "first attempt");
        return WaitForFile(marker + ".never");
    }
}
