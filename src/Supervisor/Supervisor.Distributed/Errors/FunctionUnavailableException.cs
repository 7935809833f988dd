namespace Supervisor.Distributed;

/// <summary>
/// The node that took a call cannot run its function: it does not serve that assembly, serves another version of
/// it, or finds no such method there. Nothing ran.
/// </summary>
public sealed class FunctionUnavailableException : Exception
{
    /// <summary>Creates the exception with the node's explanation.</summary>
    public FunctionUnavailableException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public FunctionUnavailableException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with a default message.</summary>
    public FunctionUnavailableException() : this("The node cannot run this function.") { }
}
