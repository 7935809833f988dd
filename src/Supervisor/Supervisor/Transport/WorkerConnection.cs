using System.IO.Pipes;
using Supervisor.Dispatch;
using Supervisor.Protocol.Startup;

namespace Supervisor.Transport;

/// <summary>
/// One worker's own pair of anonymous pipes, with the <see cref="WorkerSender"/> that writes frames into one and the
/// <see cref="WorkerReceiver"/> that reads them from the other. It only moves frames: the process, what the worker
/// holds and the supervision of it live elsewhere.
/// </summary>
internal sealed class WorkerConnection : IAsyncDisposable
{
    private readonly AnonymousPipeServerStream _toWorker;
    private readonly AnonymousPipeServerStream _fromWorker;

    /// <summary>Creates the pipes; call it inside the start gate (see <see cref="Processes.ProcessStartGate"/>).</summary>
    public WorkerConnection(int workerId, string workerName, int maxFrameBytes, InFlightLedger ledger, CreditWindow window)
    {
        _toWorker = new AnonymousPipeServerStream(PipeDirection.Out, HandleInheritability.Inheritable);
        _fromWorker = new AnonymousPipeServerStream(PipeDirection.In, HandleInheritability.Inheritable);
        PipeCapacity.Widen(_toWorker);
        PipeCapacity.Widen(_fromWorker);
        Sender = new WorkerSender(_toWorker, maxFrameBytes);
        Receiver = new WorkerReceiver(_fromWorker, maxFrameBytes, workerId, workerName, ledger, window);
    }

    public WorkerSender Sender { get; }

    public WorkerReceiver Receiver { get; }

    /// <summary>The command line that hands the worker its ends of the pipes.</summary>
    public IEnumerable<string> WorkerArguments(int workerId, string workerName, int maxFrameBytes) =>
        new WorkerStartInfo(_toWorker.GetClientHandleAsString(), _fromWorker.GetClientHandleAsString(), workerId, workerName, maxFrameBytes).ToArguments();

    /// <summary>The child has its copies of its ends now; keeping ours would hide the child's death from the receiver.</summary>
    public void ReleaseWorkerEnds()
    {
        _toWorker.DisposeLocalCopyOfClientHandle();
        _fromWorker.DisposeLocalCopyOfClientHandle();
    }

    public async ValueTask DisposeAsync()
    {
        await _toWorker.DisposeAsync().ConfigureAwait(false);
        Receiver.Dispose();
        await _fromWorker.DisposeAsync().ConfigureAwait(false);
        Sender.Dispose();
    }
}
