namespace Supervisor;

/// <summary>
/// How a worker process comes to life, named after Python's start methods. A running .NET runtime cannot be
/// forked, so each is mirrored by its semantics (see docs/python-model.md).
/// </summary>
public enum StartMethod
{
    /// <summary>A fresh process that receives only the function reference, the initializer and the arguments.</summary>
    Spawn,

    /// <summary>A fresh process that also receives a snapshot of the state the parent declared inheritable.</summary>
    Fork,

    /// <summary>Warm, pre-started workers handed out on demand.</summary>
    /// <remarks>
    /// A pool's first workers start fresh, each copying the inherited state at its own start as with
    /// <see cref="Fork"/>; spares (<see cref="WorkerOptions.Spares"/>) replace the workers that end. A spare copies
    /// <see cref="WorkerOptions.Inherited"/> and runs the initializer when it starts, not when it is handed out: the
    /// first spares as the pool starts, each later one when a spare is taken. A replacement therefore
    /// sees the parent's state as of that moment, which can be long before the worker it replaces ended. Python's
    /// forkserver children fork from one server started once per program and see the server's state (its preloaded
    /// modules as importing left them), never the parent's assignments, earlier or later. For the parent's state as
    /// of each worker's own start, use <see cref="Fork"/>; for values that change, pass arguments.
    /// </remarks>
    Forkserver,
}
