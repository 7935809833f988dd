namespace Supervisor.Supervision;

/// <summary>What <see cref="RecoveryPolicy"/> decided for an ended worker.</summary>
/// <param name="Tasks">The tasks it held, in the order to apply their fates: those waiting, then the running one.</param>
/// <param name="Worker">What becomes of its slot.</param>
/// <param name="Backoff">How long to wait before the replacement starts.</param>
/// <param name="CountsAsCrash">Whether the end counts toward the restart intensity.</param>
internal sealed record RecoveryDecision(IReadOnlyList<TaskDecision> Tasks, WorkerFate Worker, TimeSpan Backoff, bool CountsAsCrash)
{
    /// <summary>The slot ends and the worker held nothing.</summary>
    public static readonly RecoveryDecision Retire = new([], WorkerFate.Retire, TimeSpan.Zero, false);
}
