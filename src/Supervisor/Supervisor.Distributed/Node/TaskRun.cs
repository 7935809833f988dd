namespace Supervisor.Distributed.Node;

/// <summary>
/// What running one task on a node came to: its result frame (an outcome per call), to store and acknowledge; or the
/// death of a worker under one of its calls, which is not the call's answer: the task is delivered again, up to the
/// delivery limit.
/// </summary>
internal sealed record TaskRun(byte[]? Result, string? WorkerDeath);
