namespace Supervisor.Distributed;

/// <summary>
/// A call was delivered more times than <see cref="DistributedNodeOptions.MaxDeliveries"/> allows (each time the
/// worker or the node running it died) and went to the queue's dead-letter stream. The message holds its last error.
/// </summary>
public sealed class CallDeadLetteredException : Exception
{
    /// <summary>Creates the exception with the dead-letter reason and last error.</summary>
    public CallDeadLetteredException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public CallDeadLetteredException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with a default message.</summary>
    public CallDeadLetteredException() : this("The call was delivered too many times and went to the dead-letter stream.") { }
}
