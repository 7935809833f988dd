namespace Supervisor.Protocol.Startup;

/// <summary>What a call picked by a fault plan does instead of running.</summary>
internal enum CallFaultKind
{
    /// <summary>Its worker kills itself at once (SIGKILL on Unix), as the out-of-memory killer would.</summary>
    Crash = 1,

    /// <summary>It blocks forever, as a deadlock does; only a timeout, a cancellation's grace period or a kill ends it.</summary>
    Hang = 2,

    /// <summary>Its worker exits with the fault's exit code, as code calling <c>Environment.Exit</c> does.</summary>
    Exit = 3,
}
