namespace Supervisor.Distributed.Wire;

/// <summary>A frame read from Redis is not one this format writes: too large, truncated, or of the wrong shape.</summary>
internal sealed class WireFormatException : Exception
{
    /// <summary>Creates the exception with a message that says what was wrong and where.</summary>
    public WireFormatException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the reader's error.</summary>
    public WireFormatException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with a default message.</summary>
    public WireFormatException() : this("A frame from Redis is malformed.") { }
}
