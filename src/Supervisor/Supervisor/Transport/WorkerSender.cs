using MessagePack;
using Supervisor.Dispatch;
using Supervisor.Protocol;
using Supervisor.Protocol.Framing;
using Supervisor.Protocol.Messages;
using Supervisor.Protocol.Payloads;

namespace Supervisor.Transport;

/// <summary>
/// Writes frames to one worker's input pipe. The dispatcher fills one buffer with many frames and sends it in one
/// write; a Cancel or Probe goes in a small buffer of its own beside it. Whole buffers take turns on the pipe. A large
/// task goes into <paramref name="sharedSlots"/> when given and one is free, its frame on the pipe naming the slot.
/// </summary>
internal sealed class WorkerSender(Stream toWorker, int maxFrameBytes, OutboundSlots? sharedSlots) : IDisposable
{
    private readonly FrameWriter _frames = new(maxFrameBytes, sharedSlots: sharedSlots);
    // The functions this worker was told of: each is defined once per worker.
    private readonly HashSet<int> _defined = [];
    // The dispatcher and a caller's cancellation both write to the worker: one whole buffer at a time.
    private readonly SemaphoreSlim _pipe = new(1, 1);

    /// <summary>Adds a Define frame for <paramref name="functionId"/> unless this worker knows it already.</summary>
    public void DefineOnce(int functionId, FunctionRegistry registry)
    {
        if (!_defined.Add(functionId)) return;
        var (function, fixedArguments) = registry.Get(functionId);
        _frames.Write(new DefineMessage(functionId, function.Reference, fixedArguments));
    }

    /// <summary>Adds a Task frame carrying the undelivered calls of <paramref name="item"/>; returns its size.</summary>
    /// <exception cref="ProtocolException">The task is larger than the maximum frame size; it was not added.</exception>
    public int AddTask(long taskId, WorkItem item)
    {
        var start = _frames.BeginFrame();
        var writer = new MessagePackWriter(_frames);
        new TaskMessage(taskId, item.FunctionId, item.Mode, item.Remaining, item.Suspect, item.Trace).WriteHead(ref writer);
        writer.Flush();
        // Large arguments go to the pipe from the item's buffer, which lives until the worker has answered, or are
        // copied into shared memory as the frame ends.
        _frames.Attach(item.Undelivered());
        // The task's own size, which the window is charged with, wherever its bytes travel.
        var bytes = _frames.Length - start;
        _frames.EndFrame(start);
        return bytes;
    }

    /// <summary>Adds an Inherit frame: the parent's state, answered as task <paramref name="taskId"/>.</summary>
    public void AddInherit(long taskId, IReadOnlyList<InheritedValue> values) => _frames.Write(new InheritMessage(taskId, values));

    /// <summary>Adds the EndOfQueue frame.</summary>
    public void AddEndOfQueue() => _frames.Write(new EndOfQueueMessage());

    /// <summary>Adds a Cancel frame for task <paramref name="taskId"/>.</summary>
    public void AddCancel(long taskId) => WriteCancel(_frames, taskId);

    /// <summary>Sends what was added, in one write.</summary>
    public ValueTask FlushAsync(CancellationToken cancellationToken) => FlushAsync(_frames, cancellationToken);

    /// <summary>Sends a Cancel for task <paramref name="taskId"/> at once, beside the frames being added.</summary>
    public Task SendCancelAsync(long taskId) => SendAsideAsync(frames => WriteCancel(frames, taskId));

    /// <summary>Sends a Probe at once, beside the frames being added.</summary>
    public Task SendProbeAsync() => SendAsideAsync(static frames => frames.Write(new ProbeMessage()));

    public void Dispose()
    {
        _frames.Dispose();
        _pipe.Dispose();
    }

    private static void WriteCancel(FrameWriter frames, long taskId) => frames.Write(new CancelMessage(taskId));

    // A frame of its own, beside the dispatcher's buffer, which it may be filling.
    private async Task SendAsideAsync(Action<FrameWriter> write)
    {
        try
        {
            using var frame = new FrameWriter(maxFrameBytes, initialCapacity: 64);
            write(frame);
            await FlushAsync(frame, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The worker is gone: there is nothing left to tell it.
        }
    }

    private async ValueTask FlushAsync(FrameWriter frames, CancellationToken cancellationToken)
    {
        await _pipe.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await frames.FlushToAsync(toWorker, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _pipe.Release();
        }
    }
}
