namespace Supervisor;

/// <summary>A call ran longer than <see cref="WorkerOptions.TaskTimeout"/>; its worker was killed and replaced.</summary>
public sealed class TaskTimeoutException : TimeoutException
{
    /// <summary>Creates the exception for the worker that ran the call.</summary>
    public TaskTimeoutException(string workerName, int processId, TimeSpan timeout)
        : base($"The call ran longer than {timeout.TotalSeconds:0.###} s in {workerName} (pid {processId}), which was killed and replaced.")
    {
        WorkerName = workerName;
        ProcessId = processId;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public TaskTimeoutException(string message) : base(message) => WorkerName = "";

    /// <summary>Creates the exception with a message and a cause.</summary>
    public TaskTimeoutException(string message, Exception innerException) : base(message, innerException) => WorkerName = "";

    /// <summary>Creates the exception with a default message.</summary>
    public TaskTimeoutException() : this("A call ran longer than its timeout.") { }

    /// <summary>The worker that ran the call.</summary>
    public string WorkerName { get; }

    /// <summary>That worker's process id.</summary>
    public int ProcessId { get; }
}
