namespace Supervisor.Processes;

/// <summary>Exit codes in Python's convention: a death by signal is the negative signal number.</summary>
internal static class ExitCodes
{
    /// <summary>
    /// .NET reports a Unix child killed by signal n as 128 + n; Python reports −n. A process that itself exits
    /// with 129..159 cannot be told apart through the .NET API, and is reported as a signal too.
    /// </summary>
    public static int FromOs(int code) =>
        !OperatingSystem.IsWindows() && code is > 128 and < 160 ? -(code - 128) : code;
}
