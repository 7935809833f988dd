namespace Supervisor;

/// <summary>A task a worker held when it ended goes back to the queue (see <see cref="PoolObserver.OnCallRetried"/>).</summary>
/// <param name="Worker">The worker whose end sent it back.</param>
/// <param name="Calls">The calls of the task that go back (a map's chunk holds many).</param>
/// <param name="Blamed">
/// Its next call was running and is charged the worker's end (see <see cref="WorkerOptions.Retries"/>); false when the
/// task only waited in the worker, or when which call was running is unknown.
/// </param>
/// <param name="Attempts">How many times the blamed call ran; for a task not blamed, how many times it was sent before.</param>
public readonly record struct CallRetried(WorkerInfo Worker, int Calls, bool Blamed, int Attempts);
