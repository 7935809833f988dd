using Microsoft.Win32.SafeHandles;

namespace UserFunctions;

/// <summary>
/// User code that breaks its worker late: one call leaves a thread behind that writes junk into the worker's own
/// pipe to its supervisor, and the worker dies for it while a later, innocent call runs.
/// </summary>
public static class LateCrash
{
    private static readonly ManualResetEventSlim Trigger = new();
    private static bool s_armed;

    /// <summary>The environment variable naming the directory where the arming is marked, once across processes.</summary>
    public const string MarkerDirectoryVariable = "LATE_CRASH_MARKERS";

    /// <summary>
    /// Returns <paramref name="x"/>. The call with x = 1 arms the junk writer, once across processes; the call with
    /// x = 5 in the armed process fires it and waits for its worker's end.
    /// </summary>
    public static int Run(int x)
    {
        const int armAt = 1, dieAt = 5;
        if (x == armAt && TryCreate(Path.Combine(Environment.GetEnvironmentVariable(MarkerDirectoryVariable)!, "armed")))
        {
            s_armed = true;
            new Thread(WriteJunk) { IsBackground = true }.Start();
        }
        if (x == dieAt && s_armed)
        {
            Trigger.Set();
            Thread.Sleep(Timeout.Infinite); // the supervisor cuts this worker off
        }
        return x;
    }

    private static void WriteJunk()
    {
        Trigger.Wait();
        var args = Environment.GetCommandLineArgs();
        var output = args[Array.IndexOf(args, "--supervisor-worker") + 2];
        using var pipe = new FileStream(new SafeFileHandle(nint.Parse(output, System.Globalization.CultureInfo.InvariantCulture), ownsHandle: false), FileAccess.Write, 1);
        pipe.Write("\x08\x00\x00\x00junkjunk"u8);
        pipe.Flush();
    }

    private static bool TryCreate(string path)
    {
        try
        {
            using var created = new FileStream(path, FileMode.CreateNew);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
