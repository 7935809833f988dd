namespace Supervisor.Distributed.Wire;

/// <summary>What became of one call, as a node reports it.</summary>
internal enum OutcomeKind
{
    /// <summary>The call returned; the value follows.</summary>
    Returned = 0,

    /// <summary>The call threw (or timed out); its type, message and stack trace follow, as text.</summary>
    Failed = 1,

    /// <summary>The node could not run the function: it lacks the assembly, has another version, or no such method.</summary>
    FunctionUnavailable = 2,

    /// <summary>The call was delivered too many times and went to the dead-letter stream.</summary>
    DeadLettered = 3,
}
