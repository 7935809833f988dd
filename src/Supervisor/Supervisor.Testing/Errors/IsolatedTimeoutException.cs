namespace Supervisor.Testing;

/// <summary>The isolated call ran past <see cref="IsolatedOptions.Timeout"/>; its process was killed.</summary>
public sealed class IsolatedTimeoutException : TimeoutException
{
    /// <summary>Creates the exception for a call killed after <paramref name="timeout"/>.</summary>
    public IsolatedTimeoutException(TimeSpan timeout, IReadOnlyList<string> outputTail, Exception? innerException = null)
        : base(ChildOutput.Append($"The isolated call ran longer than {timeout}; its process was killed.", outputTail), innerException)
    {
        Timeout = timeout;
        OutputTail = outputTail;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public IsolatedTimeoutException(string message) : base(message) => OutputTail = [];

    /// <summary>Creates the exception with a message and a cause.</summary>
    public IsolatedTimeoutException(string message, Exception innerException) : base(message, innerException) => OutputTail = [];

    /// <summary>Creates the exception with a default message.</summary>
    public IsolatedTimeoutException() : this("The isolated call ran longer than its timeout.") { }

    /// <summary>The timeout the call passed.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>The child's last lines of output, oldest first (stderr lines marked <c>[stderr]</c>).</summary>
    public IReadOnlyList<string> OutputTail { get; }
}
