using System.Buffers;
using MessagePack;
using Supervisor.Dispatch;
using Supervisor.Protocol;
using Supervisor.Protocol.Framing;
using Supervisor.Protocol.Messages;
using Supervisor.Protocol.Payloads;

namespace Supervisor.Transport;

/// <summary>
/// Reads one worker's output pipe on a thread of its own with blocking reads: results are handed on the moment they
/// arrive, without the hop through the I/O completion thread that an asynchronous read costs per batch. It reads the
/// handshake too: on Unix one asynchronous read would switch the pipe to non-blocking mode for good, and every later
/// blocking read would then wait through the socket engine's epoll thread. Each answer is checked against the
/// <see cref="InFlightLedger"/> and handed to its task's sink. A frame the worker wrote into shared memory is read
/// there, in place, and its slot freed after it (<paramref name="sharedSlots"/>).
/// </summary>
internal sealed class WorkerReceiver(
    Stream fromWorker, int maxFrameBytes, int workerId, string workerName, InFlightLedger ledger, CreditWindow window, InboundSlots? sharedSlots)
    : IFrameHandler, IDisposable
{
    private readonly FrameReader _reader = new(fromWorker, maxFrameBytes);
    private readonly TaskCompletionSource _greeted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _helloSeen;
    private int _processId;

    /// <summary>Completes when the worker's handshake has been accepted.</summary>
    public Task Greeted => _greeted.Task;

    /// <summary>Why the worker was cut off, if it broke the protocol; set before <see cref="ReceiveAsync"/> completes.</summary>
    public Exception? ProtocolError { get; private set; }

    /// <summary>
    /// Reads until the pipe ends or the worker breaks the protocol, then calls <paramref name="ended"/> and completes.
    /// <paramref name="processId"/> is the worker's, for the calls that fail in it.
    /// </summary>
    public Task ReceiveAsync(int processId, Action ended) =>
        Task.Factory.StartNew(() =>
        {
            _processId = processId;
            Receive();
            ended();
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public void Dispose() => _reader.Dispose();

    void IFrameHandler.OnFrame(ReadOnlySequence<byte> payload) => OnFrame(payload, inSharedMemory: false);

    private void OnFrame(ReadOnlySequence<byte> payload, bool inSharedMemory)
    {
        var reader = new MessagePackReader(payload);
        var kind = Envelope.ReadHeader(ref reader);
        if (!_helloSeen && kind != MessageKind.Hello) throw new ProtocolException($"{workerName} sent {kind} before its handshake.");
        switch (kind)
        {
            case MessageKind.Payload:
                OnSharedFrame(PayloadMessage.Read(ref reader), inSharedMemory);
                break;
            case MessageKind.Hello:
                AcceptHello(HelloMessage.Read(ref reader));
                break;
            case MessageKind.Result:
            {
                var head = ResultMessage.ReadHead(ref reader);
                var item = ledger.Expect(head.TaskId, head.FirstItem, head.Count);
                for (var i = item.DeliverRun(ref reader, head.Count); i < head.Count; i++)
                {
                    var value = reader.CreatePeekReader();
                    // A malformed value breaks the protocol before its call counts as delivered: it is sent again.
                    reader.Skip();
                    item.DeliverResult(ref value);
                }
                Delivered(head.TaskId, item, head.ElapsedMicroseconds);
                break;
            }
            case MessageKind.Error:
            {
                var message = ErrorMessage.Read(ref reader);
                var item = ledger.Expect(message.TaskId, message.Item, 1);
                item.DeliverFailure(new RemoteTaskException(message.Error, workerName, _processId));
                Delivered(message.TaskId, item, 0);
                break;
            }
            case MessageKind.Running:
                ledger.AcceptReport(RunningMessage.Read(ref reader));
                break;
            default:
                throw new ProtocolException($"A supervisor does not accept {kind} messages.");
        }
    }

    // The frame lies in shared memory: handled there as if it had come through the pipe, then its slot is freed.
    private void OnSharedFrame(PayloadMessage message, bool inSharedMemory)
    {
        if (sharedSlots is null) throw new ProtocolException($"{workerName} named shared-memory slot {message.Slot}, but this connection has no shared memory.");
        if (inSharedMemory) throw new ProtocolException($"{workerName} wrote a frame into shared memory that names a slot ({message.Slot}) in its turn; a frame there must be a message itself.");
        var frame = sharedSlots.Take(message.Slot, message.Length);
        try
        {
            OnFrame(new ReadOnlySequence<byte>(frame), inSharedMemory: true);
        }
        finally
        {
            sharedSlots.Release(message.Slot);
        }
    }

    private void Receive()
    {
        try
        {
            while (_reader.Read(this)) { }
        }
        catch (Exception e) when (ProtocolErrors.IsProtocolError(e))
        {
            ProtocolError = e;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The pipe broke: the process is gone.
        }
    }

    private void AcceptHello(HelloMessage hello)
    {
        if (_helloSeen) throw new ProtocolException($"{workerName} sent a second handshake.");
        if (hello.Version != WireProtocol.Version)
        {
            throw new ProtocolException($"{workerName} speaks protocol version {hello.Version}; this supervisor speaks {WireProtocol.Version}. Use a worker built with the same version.");
        }
        if (hello.WorkerId != workerId) throw new ProtocolException($"{workerName} introduced itself as worker {hello.WorkerId}.");
        _helloSeen = true;
        _greeted.TrySetResult();
    }

    // Retires a task once all its calls have been delivered, and gives its room in the window back.
    private void Delivered(long taskId, WorkItem item, long elapsedMicroseconds)
    {
        item.AddElapsed(elapsedMicroseconds);
        if (!ledger.Delivered(taskId, item)) return;
        var (calls, bytes, spent) = (item.CallsSent, item.SentBytes, item.ElapsedMicroseconds);
        item.Release();
        window.Return(calls, bytes, spent);
    }
}
