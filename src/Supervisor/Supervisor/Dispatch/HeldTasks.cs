namespace Supervisor.Dispatch;

/// <summary>What a worker held unanswered when it ended.</summary>
/// <param name="Running">The oldest task held, whose next call was running; null if it held nothing.</param>
/// <param name="RunningTaskId">The id <paramref name="Running"/> was sent under; 0 if none.</param>
/// <param name="Waiting">The tasks sent after <paramref name="Running"/>, in send order.</param>
/// <param name="TasksCompleted">How many tasks the worker completed before it ended.</param>
internal sealed record HeldTasks(WorkItem? Running, long RunningTaskId, IReadOnlyList<WorkItem> Waiting, int TasksCompleted);
