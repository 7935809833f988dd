using UserFunctions;

namespace HostingFunctions;

/// <summary>A call that says it runs (a marker file) and then waits for the test's go (another file).</summary>
public static class Gates
{
    public static int MarkThenWaitFor(string marker, string go)
    {
        File.WriteAllText(marker, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        FileGate.WaitFor(go, TimeSpan.FromMinutes(5));
        return 1;
    }
}
