namespace Supervisor;

/// <summary>
/// Which worker runs the current call: its name, id and process id, for a function that wants to log or label
/// what it does. Set by the worker before any user code runs; null in any other process.
/// </summary>
/// <remarks>One per process, set once as the worker starts, as <see cref="Environment.ProcessId"/> is.</remarks>
public sealed class WorkerContext
{
    internal WorkerContext(string name, int id, int processId)
    {
        Name = name;
        Id = id;
        ProcessId = processId;
    }

    /// <summary>The worker running in this process, or null when this process is not a worker.</summary>
    public static WorkerContext? Current { get; private set; }

    /// <summary>The worker's name, e.g. <c>worker-2</c>, as its supervisor's <c>Workers</c> and errors name it.</summary>
    public string Name { get; }

    /// <summary>The worker's id, unique among the workers its supervisor started.</summary>
    public int Id { get; }

    /// <summary>The worker's process id.</summary>
    public int ProcessId { get; }

    /// <summary>Makes <paramref name="context"/> this process's worker, before any user code runs.</summary>
    internal static void Enter(WorkerContext context) => Current = context;

    /// <inheritdoc />
    public override string ToString() => $"{Name} (pid {ProcessId})";
}
