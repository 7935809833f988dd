namespace Supervisor.Testing;

/// <summary>Thrown by a call or a worker start that a <see cref="FaultPlan"/> made fail.</summary>
public sealed class InjectedFaultException : Exception
{
    /// <summary>Creates the exception with a message saying which call or start failed.</summary>
    public InjectedFaultException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public InjectedFaultException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with a default message.</summary>
    public InjectedFaultException() : base("A fault plan made this fail.") { }
}
