using Supervisor.Dispatch;

namespace Supervisor.Supervision;

/// <summary>One task a dead worker held, and what becomes of it.</summary>
internal readonly record struct TaskDecision(WorkItem Item, TaskFate Fate);
