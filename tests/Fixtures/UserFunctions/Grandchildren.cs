using System.Diagnostics;

namespace UserFunctions;

/// <summary>User code that starts processes of its own, which outlive the call and may outlive the worker.</summary>
public static class Grandchildren
{
    /// <summary>
    /// Starts <c>sh -c 'exec sleep <paramref name="seconds"/>'</c> (one process: exec, so that no sleep outlives a kill
    /// of its shell), leaves it running, and returns its process id.
    /// </summary>
    public static int StartSleeper(int seconds)
    {
        var command = "exec sleep " + seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var sleeper = Process.Start(new ProcessStartInfo("sh") { ArgumentList = { "-c", command } })!;
        return sleeper.Id;
    }
}
