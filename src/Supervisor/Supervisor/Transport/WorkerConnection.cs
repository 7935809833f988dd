using System.IO.Pipes;
using Supervisor.Dispatch;
using Supervisor.Protocol.Payloads;
using Supervisor.Protocol.Startup;

namespace Supervisor.Transport;

/// <summary>
/// One worker's own pair of anonymous pipes, with the <see cref="WorkerSender"/> that writes frames into one and the
/// <see cref="WorkerReceiver"/> that reads them from the other, and, where the OS allows it, the shared memory large
/// frames go through instead (<see cref="PayloadArena"/>). It only moves frames: the process, what the worker holds and
/// the supervision of it live elsewhere.
/// </summary>
internal sealed class WorkerConnection : IAsyncDisposable
{
    private readonly AnonymousPipeServerStream _toWorker;
    private readonly AnonymousPipeServerStream _fromWorker;
    private readonly PayloadArena? _arena;

    /// <summary>
    /// Creates the pipes, and the shared memory when <paramref name="sharedMemory"/> asks for it; call it inside the
    /// start gate (see <see cref="Processes.ProcessStartGate"/>).
    /// </summary>
    public WorkerConnection(int workerId, string workerName, int maxFrameBytes, bool sharedMemory, InFlightLedger ledger, CreditWindow window)
    {
        _toWorker = new AnonymousPipeServerStream(PipeDirection.Out, HandleInheritability.Inheritable);
        _fromWorker = new AnonymousPipeServerStream(PipeDirection.In, HandleInheritability.Inheritable);
        PipeCapacity.Widen(_toWorker);
        PipeCapacity.Widen(_fromWorker);
        _arena = sharedMemory ? CreateArena(maxFrameBytes) : null;
        Sender = new WorkerSender(_toWorker, maxFrameBytes, _arena?.Outbound);
        Receiver = new WorkerReceiver(_fromWorker, maxFrameBytes, workerId, workerName, ledger, window, _arena?.Inbound);
    }

    public WorkerSender Sender { get; }

    public WorkerReceiver Receiver { get; }

    /// <summary>How many frames went through shared memory, both ways, instead of the pipes.</summary>
    public long SharedMemoryFrames => (_arena?.Outbound.Frames ?? 0) + (_arena?.Inbound.Frames ?? 0);

    /// <summary>Whether this side still maps the connection's shared memory.</summary>
    public bool MapsSharedMemory => _arena is { IsMapped: true };

    /// <summary>The command line that hands the worker its ends of the pipes and its shared memory.</summary>
    public IEnumerable<string> WorkerArguments(int workerId, string workerName, int maxFrameBytes) =>
        new WorkerStartInfo(_toWorker.GetClientHandleAsString(), _fromWorker.GetClientHandleAsString(), workerId, workerName, maxFrameBytes,
            _arena?.ForChild?.Handle, _arena?.ForChild?.SlotBytes ?? 0).ToArguments();

    /// <summary>The child has its copies of its ends now; keeping ours would hide the child's death from the receiver.</summary>
    public void ReleaseWorkerEnds()
    {
        _toWorker.DisposeLocalCopyOfClientHandle();
        _fromWorker.DisposeLocalCopyOfClientHandle();
        // Nor may the next worker inherit this one's memory.
        _arena?.ReleaseChildHandle();
    }

    public async ValueTask DisposeAsync()
    {
        await _toWorker.DisposeAsync().ConfigureAwait(false);
        Receiver.Dispose();
        await _fromWorker.DisposeAsync().ConfigureAwait(false);
        Sender.Dispose();
        // Unmapped once a write or read still under way lets go (the region counts its users).
        _arena?.Dispose();
    }

    private static PayloadArena? CreateArena(int maxFrameBytes)
    {
        try
        {
            return PayloadArena.CreateForWorker(maxFrameBytes);
        }
        catch (IOException)
        {
            // Out of descriptors or memory: only speed depends on it, and every frame can take the pipe.
            return null;
        }
    }
}
