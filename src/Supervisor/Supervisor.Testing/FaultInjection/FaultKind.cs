namespace Supervisor.Testing;

/// <summary>What a call does when the <see cref="FaultPlan"/> picks it.</summary>
public enum FaultKind
{
    /// <summary>Its process is killed at once (SIGKILL on Unix, exit code −9), as by the out-of-memory killer.</summary>
    Crash = 1,

    /// <summary>It blocks forever and answers nothing, as a deadlock does; only a timeout or a kill ends it.</summary>
    Hang = 2,

    /// <summary>Its process exits with the rule's exit code, as code calling <c>Environment.Exit</c> does.</summary>
    Exit = 3,

    /// <summary>It throws <see cref="InjectedFaultException"/>, as a call that fails in an ordinary way does.</summary>
    Throw = 4,
}
