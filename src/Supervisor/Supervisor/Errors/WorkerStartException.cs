namespace Supervisor;

/// <summary>A worker process could not be started, or ended before its handshake.</summary>
public sealed class WorkerStartException : Exception
{
    /// <summary>Creates the exception with a message that includes what the worker wrote to stderr.</summary>
    public WorkerStartException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public WorkerStartException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with a default message.</summary>
    public WorkerStartException() : base("A worker process could not be started.") { }
}
