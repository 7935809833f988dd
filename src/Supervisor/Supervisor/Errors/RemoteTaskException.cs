using Supervisor.Protocol.Messages;

namespace Supervisor;

/// <summary>
/// A task failed in its worker: the user's function threw, its arguments did not bind, or its result could not
/// be sent back. The remote exception is described by text, never rebuilt as a type.
/// </summary>
public sealed class RemoteTaskException : Exception
{
    /// <summary>Creates the exception for a remote error raised in <paramref name="workerName"/>.</summary>
    public RemoteTaskException(RemoteError error, string workerName)
        : base($"{error.Type} in {workerName}: {error.Message}")
    {
        ArgumentNullException.ThrowIfNull(error);
        RemoteType = error.Type;
        RemoteMessage = error.Message;
        RemoteStackTrace = error.StackTrace;
        WorkerName = workerName;
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

    /// <summary>The worker the task ran in.</summary>
    public string WorkerName { get; }

    /// <inheritdoc />
    public override string ToString() =>
        RemoteStackTrace.Length == 0 ? base.ToString() : $"{base.ToString()}{Environment.NewLine}--- remote stack trace ---{Environment.NewLine}{RemoteStackTrace}";
}
