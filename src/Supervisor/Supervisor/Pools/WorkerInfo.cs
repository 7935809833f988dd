namespace Supervisor;

/// <summary>A running worker of a pool or queue.</summary>
/// <param name="Name">e.g. <c>worker-2</c>.</param>
/// <param name="ProcessId">Its process id.</param>
public sealed record WorkerInfo(string Name, int ProcessId);
