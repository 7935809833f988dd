namespace DistributedFunctions;

/// <summary>Functions the distributed tests send to nodes.</summary>
public static class Calls
{
    public static long Square(long x) => x * x;

    /// <summary>Square, taking a little time, so that a run of many calls is still going when a node is killed.</summary>
    public static long SquareSlowly(long x)
    {
        Thread.Sleep(2);
        return x * x;
    }

    /// <summary>A point mirrored on the diagonal: a user's type both ways.</summary>
    public static Point Mirror(Point point) => new() { X = point.Y, Y = point.X };

    /// <summary>Takes any value: the tests' unserializable arguments are refused before they reach it.</summary>
    public static string Describe(object value) => value.ToString() ?? "";

    /// <summary>Square of a natural number; throws for a negative one (the launcher's error rows).</summary>
    public static long SquareOfNatural(long x) => x >= 0 ? x * x : throw new ArgumentOutOfRangeException(nameof(x), x, "not a natural number");

    public static long Refuse(long x) => throw new InvalidOperationException($"refused {x}");

    /// <summary>Kills its worker process when <paramref name="x"/> is <paramref name="poison"/>.</summary>
    public static long SquareUnless(long x, long poison)
    {
        if (x == poison) Environment.Exit(42);
        return x * x;
    }

    /// <summary>
    /// The first run creates <c>started</c> in <paramref name="directory"/> and waits until <c>release</c> appears
    /// there; a later run (the call delivered again) returns at once. Returns which run it was.
    /// </summary>
    public static string RunUntilReleased(string directory)
    {
        var started = Path.Combine(directory, "started");
        if (File.Exists(started)) return "again";
        File.WriteAllText(started, "");
        var release = Path.Combine(directory, "release");
        using var watcher = new FileSystemWatcher(directory, "release") { EnableRaisingEvents = true };
        while (!File.Exists(release)) watcher.WaitForChanged(WatcherChangeTypes.Created, 1000);
        return "first";
    }
}
