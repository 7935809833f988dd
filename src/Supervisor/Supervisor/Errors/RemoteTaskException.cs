using Supervisor.Protocol.Messages;

namespace Supervisor;

/// <summary>
/// A task failed in its worker: the user's function threw, its arguments did not bind, or its result could not
/// be sent back. The remote exception is described by text, never rebuilt as a type.
/// </summary>
public sealed class RemoteTaskException : Exception
{
    /// <summary>Creates the exception for a remote error raised in the worker <paramref name="workerName"/>.</summary>
    internal RemoteTaskException(RemoteError error, string workerName, int processId)
        : this(error.Type, error.Message, error.StackTrace, workerName, processId)
    {
    }

    /// <summary>
    /// Creates the exception for an error raised in the worker <paramref name="workerName"/>, described by text: a pool
    /// whose workers are elsewhere (the distributed pool's nodes) throws the same type as the local one.
    /// </summary>
    /// <param name="remoteType">The remote exception's full type name.</param>
    /// <param name="remoteMessage">The remote exception's message.</param>
    /// <param name="remoteStackTrace">Its stack trace in the worker.</param>
    /// <param name="workerName">Which worker ran the call, e.g. <c>worker-2</c> (on a node: <c>worker-2 on node host-4711</c>).</param>
    /// <param name="processId">The worker's process id (on its own machine).</param>
    public RemoteTaskException(string remoteType, string remoteMessage, string remoteStackTrace, string workerName, int processId)
        : base($"{remoteType} in {workerName} (pid {processId}): {remoteMessage}")
    {
        ArgumentNullException.ThrowIfNull(remoteType);
        ArgumentNullException.ThrowIfNull(remoteMessage);
        ArgumentNullException.ThrowIfNull(remoteStackTrace);
        ArgumentNullException.ThrowIfNull(workerName);
        RemoteType = remoteType;
        RemoteMessage = remoteMessage;
        RemoteStackTrace = remoteStackTrace;
        WorkerName = workerName;
        ProcessId = processId;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public RemoteTaskException(string message) : base(message)
    {
        RemoteType = "";
        RemoteMessage = message;
        RemoteStackTrace = "";
        WorkerName = "";
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public RemoteTaskException(string message, Exception innerException) : base(message, innerException)
    {
        RemoteType = innerException?.GetType().FullName ?? "";
        RemoteMessage = message;
        RemoteStackTrace = "";
        WorkerName = "";
    }

    /// <summary>Creates the exception with a default message.</summary>
    public RemoteTaskException() : this("A task failed in its worker.") { }

    /// <summary>The remote exception's full type name, e.g. <c>System.DivideByZeroException</c>.</summary>
    public string RemoteType { get; }

    /// <summary>The remote exception's message.</summary>
    public string RemoteMessage { get; }

    /// <summary>The stack trace in the worker.</summary>
    public string RemoteStackTrace { get; }

    /// <summary>The name of the worker the task ran in, e.g. <c>worker-2</c>; empty when no worker ran it.</summary>
    public string WorkerName { get; }

    /// <summary>The process id of the worker the task ran in; 0 when no worker ran it.</summary>
    public int ProcessId { get; }

    /// <inheritdoc />
    public override string ToString() =>
        RemoteStackTrace.Length == 0 ? base.ToString() : $"{base.ToString()}{Environment.NewLine}--- remote stack trace ---{Environment.NewLine}{RemoteStackTrace}";
}
