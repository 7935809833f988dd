namespace Supervisor.Distributed;

/// <summary>
/// A call failed on a node: the function threw, timed out in its worker, or its arguments did not bind there. The
/// remote exception is described by text, never rebuilt as a type.
/// </summary>
public sealed class RemoteCallException : Exception
{
    /// <summary>Creates the exception for an error raised on <paramref name="nodeName"/>.</summary>
    public RemoteCallException(string remoteType, string remoteMessage, string remoteStackTrace, string nodeName)
        : base($"{remoteType} on node {nodeName}: {remoteMessage}")
    {
        RemoteType = remoteType;
        RemoteMessage = remoteMessage;
        RemoteStackTrace = remoteStackTrace;
        NodeName = nodeName;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public RemoteCallException(string message) : this("", message, "", "") { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public RemoteCallException(string message, Exception innerException) : base(message, innerException)
    {
        RemoteType = "";
        RemoteMessage = message;
        RemoteStackTrace = "";
        NodeName = "";
    }

    /// <summary>Creates the exception with a default message.</summary>
    public RemoteCallException() : this("A call failed on a node.") { }

    /// <summary>The remote exception's full type name, e.g. <c>System.DivideByZeroException</c>.</summary>
    public string RemoteType { get; }

    /// <summary>The remote exception's message.</summary>
    public string RemoteMessage { get; }

    /// <summary>The stack trace on the node's worker.</summary>
    public string RemoteStackTrace { get; }

    /// <summary>The node the call ran on.</summary>
    public string NodeName { get; }

    /// <inheritdoc />
    public override string ToString() =>
        RemoteStackTrace.Length == 0 ? base.ToString() : $"{base.ToString()}{Environment.NewLine}--- remote stack trace ---{Environment.NewLine}{RemoteStackTrace}";
}
