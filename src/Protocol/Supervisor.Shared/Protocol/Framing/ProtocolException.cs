namespace Supervisor.Protocol.Framing;

/// <summary>
/// The bytes on a pipe do not follow the protocol: a truncated or oversized frame, an unknown message kind,
/// a wrong version or a malformed field. The peer that sent them is not to be trusted any further.
/// </summary>
internal sealed class ProtocolException : Exception
{
    /// <summary>Creates the exception with a message that says what was wrong and where.</summary>
    public ProtocolException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the error that revealed the problem.</summary>
    public ProtocolException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with a default message.</summary>
    public ProtocolException() : base("The peer broke the wire protocol.") { }
}
