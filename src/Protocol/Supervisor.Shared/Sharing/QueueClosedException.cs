namespace Supervisor.Sharing;

/// <summary>
/// A put on a closed queue, or a get on a queue that is closed and drained: no item will ever come, so the call
/// fails instead of blocking forever (the hang of the seed's <c>while not q.empty(): q.get()</c>).
/// </summary>
public sealed class QueueClosedException : InvalidOperationException
{
    /// <summary>Creates the exception with a message that says what was closed and what to do.</summary>
    public QueueClosedException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public QueueClosedException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with a default message.</summary>
    public QueueClosedException() : base("The queue is closed.") { }
}
