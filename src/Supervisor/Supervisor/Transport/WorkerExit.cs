using Supervisor.Dispatch;

namespace Supervisor.Transport;

/// <summary>How a worker ended and which tasks it still held.</summary>
/// <param name="Connection">The worker.</param>
/// <param name="Clean">EndOfQueue was sent, the worker exited with 0 and held nothing.</param>
/// <param name="Held">Tasks sent to the worker whose outcomes did not all arrive.</param>
/// <param name="ProtocolError">Why the worker was cut off, if it broke the protocol.</param>
internal sealed record WorkerExit(WorkerConnection Connection, bool Clean, IReadOnlyList<WorkItem> Held, string? ProtocolError);
