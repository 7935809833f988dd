namespace Supervisor.Protocol;

/// <summary>
/// What a worker process's exit code means, for both sides: the codes a worker ends with on purpose, and how the
/// supervisor reads the code the OS reports.
/// </summary>
internal static class WorkerExitCodes
{
    /// <summary>EndOfQueue received, every result sent.</summary>
    public const int Done = 0;

    /// <summary>Started without the arguments a supervisor passes, or with a fault plan it cannot read.</summary>
    public const int Usage = 2;

    /// <summary>The supervisor closed the pipe without EndOfQueue: it died, so the worker ends at once.</summary>
    public const int SupervisorGone = 3;

    /// <summary>The supervisor broke the protocol; the worker cannot trust the pipe any further.</summary>
    public const int ProtocolError = 4;

    /// <summary>A test harness's fault plan made this worker's start fail (see <c>FaultPlan.FailStart</c>).</summary>
    public const int InjectedStartFailure = 5;

    /// <summary>
    /// The OS's exit code in Python's convention, where a death by signal n is −n. .NET reports a Unix child killed
    /// by signal n as 128 + n; a process that itself exits with 129..159 cannot be told apart through the .NET API,
    /// and is reported as a signal too.
    /// </summary>
    public static int FromOs(int code) =>
        !OperatingSystem.IsWindows() && code is > 128 and < 160 ? -(code - 128) : code;
}
