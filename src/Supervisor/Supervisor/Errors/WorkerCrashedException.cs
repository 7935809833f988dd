namespace Supervisor;

/// <summary>A worker process ended while it held a task: killed, crashed, or it broke the protocol.</summary>
public sealed class WorkerCrashedException : Exception
{
    /// <summary>Creates the exception with what is known of the worker's end.</summary>
    public WorkerCrashedException(string workerName, int processId, int? exitCode, IReadOnlyList<string> lastErrorLines, string? reason = null)
        : base(Describe(workerName, processId, exitCode, lastErrorLines, reason))
    {
        WorkerName = workerName;
        ProcessId = processId;
        ExitCode = exitCode;
        LastErrorLines = lastErrorLines;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public WorkerCrashedException(string message) : base(message)
    {
        WorkerName = "";
        LastErrorLines = [];
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public WorkerCrashedException(string message, Exception innerException) : base(message, innerException)
    {
        WorkerName = "";
        LastErrorLines = [];
    }

    /// <summary>Creates the exception with a default message.</summary>
    public WorkerCrashedException() : this("A worker process ended unexpectedly.") { }

    /// <summary>The worker's name.</summary>
    public string WorkerName { get; }

    /// <summary>The worker's process id.</summary>
    public int ProcessId { get; }

    /// <summary>The exit code, negative for a signal (−9 for SIGKILL), as Python reports it; null if unknown.</summary>
    public int? ExitCode { get; }

    /// <summary>The last lines the worker wrote to its standard error.</summary>
    public IReadOnlyList<string> LastErrorLines { get; }

    private static string Describe(string name, int pid, int? exitCode, IReadOnlyList<string> lines, string? reason)
    {
        var how = exitCode switch
        {
            null => "ended",
            < 0 => $"was killed by signal {-exitCode.Value} (exit code {exitCode})",
            _ => $"exited with code {exitCode}",
        };
        var text = $"Worker {name} (pid {pid}) {how} while it held a task";
        if (reason is not null) text += $": {reason}";
        if (lines.Count > 0) text += $"{Environment.NewLine}Its last lines on stderr:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", lines)}";
        return text;
    }
}
