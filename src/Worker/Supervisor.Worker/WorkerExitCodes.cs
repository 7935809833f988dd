namespace Supervisor.Worker;

/// <summary>The exit codes a worker process ends with, besides those of a crash.</summary>
public static class WorkerExitCodes
{
    /// <summary>EndOfQueue received, every result sent.</summary>
    public const int Done = 0;

    /// <summary>Started without the arguments a supervisor passes.</summary>
    public const int Usage = 2;

    /// <summary>The supervisor closed the pipe without EndOfQueue: it died, so the worker ends at once.</summary>
    public const int SupervisorGone = 3;

    /// <summary>The supervisor broke the protocol; the worker cannot trust the pipe any further.</summary>
    public const int ProtocolError = 4;
}
