namespace Supervisor.Chaos;

/// <summary>What a chaos task does in its worker.</summary>
public enum ChaosKind
{
    /// <summary>Returns twice its input.</summary>
    Normal = 0,

    /// <summary>Ends its worker every time it runs: FailFast, a stack overflow, or a read through a null pointer.</summary>
    Poison = 1,

    /// <summary>Never returns; only the task timeout ends it.</summary>
    Hang = 2,
}
