using System.Buffers;
using System.Collections.Concurrent;
using MessagePack;
using Supervisor.Protocol.Framing;
using Supervisor.Protocol.Messages;
using Supervisor.Protocol.Payloads;

namespace Supervisor.Worker.Transport;

/// <summary>
/// Reads the supervisor's pipe on a thread of its own, so that the end of the pipe is seen at once even while a
/// user function runs for minutes: that is how a worker notices its supervisor died. A frame the supervisor wrote into
/// shared memory is handed on where it lies, its slot freed once the main loop is done with it.
/// </summary>
internal sealed class FramePump : IFrameHandler, IDisposable
{
    private readonly FrameReader _reader;
    private readonly BlockingCollection<InboundFrame> _frames = new();
    private readonly Action<Exception?> _onEnd;
    private readonly Action<long> _onCancel;
    private readonly Action _onProbe;
    private readonly InboundSlots? _sharedSlots;
    private readonly Thread _thread;

    /// <param name="input">The pipe from the supervisor.</param>
    /// <param name="maxFrameBytes">The largest frame accepted.</param>
    /// <param name="onEnd">Called on the pump's thread when the pipe ends: null for a clean end, or the protocol error.</param>
    /// <param name="onCancel">Called on the pump's thread for each Cancel, with its task id: it must reach a call that is running now.</param>
    /// <param name="onProbe">Called on the pump's thread for each Probe: it must be answered while a call is running.</param>
    /// <param name="sharedSlots">Where the supervisor writes its large frames; null without shared memory.</param>
    public FramePump(Stream input, int maxFrameBytes, Action<Exception?> onEnd, Action<long> onCancel, Action onProbe, InboundSlots? sharedSlots)
    {
        _sharedSlots = sharedSlots;
        _reader = new FrameReader(input, maxFrameBytes);
        _onEnd = onEnd;
        _onCancel = onCancel;
        _onProbe = onProbe;
        _thread = new Thread(Run) { IsBackground = true, Name = "supervisor pipe reader" };
    }

    /// <summary>Frames in arrival order; completed when the pipe ends.</summary>
    public BlockingCollection<InboundFrame> Frames => _frames;

    public void Start() => _thread.Start();

    /// <summary>
    /// Whether EndOfQueue went past: after it, the end of the pipe is the supervisor's normal goodbye rather
    /// than its death.
    /// </summary>
    public bool SawEndOfQueue { get; private set; }

    void IFrameHandler.OnFrame(ReadOnlySequence<byte> payload)
    {
        var reader = new MessagePackReader(payload);
        var kind = Accept(ref reader);
        if (kind == MessageKind.Payload) OnSharedFrame(PayloadMessage.Read(ref reader));
        else if (ForMainLoop(kind)) _frames.Add(InboundFrame.CopyOf(payload));
    }

    // Cancel and Probe are answered on this thread, while a call runs; everything else goes to the main loop.
    private static bool ForMainLoop(MessageKind kind) => kind is not (MessageKind.Cancel or MessageKind.Probe or MessageKind.Payload);

    // Reads the kind and handles what the pump answers itself.
    private MessageKind Accept(ref MessagePackReader reader)
    {
        var kind = Envelope.ReadHeader(ref reader);
        switch (kind)
        {
            case MessageKind.Cancel:
                _onCancel(CancelMessage.Read(ref reader).TaskId);
                break;
            case MessageKind.Probe:
                _onProbe();
                break;
            case MessageKind.EndOfQueue:
                SawEndOfQueue = true;
                break;
        }
        return kind;
    }

    // The frame lies in shared memory: the main loop reads it there, and frees the slot when done with it.
    private void OnSharedFrame(PayloadMessage message)
    {
        if (_sharedSlots is null) throw new ProtocolException($"The supervisor named shared-memory slot {message.Slot}, but this worker has no shared memory.");
        var payload = _sharedSlots.Take(message.Slot, message.Length);
        var reader = new MessagePackReader(payload);
        bool forLoop;
        try
        {
            var kind = Accept(ref reader);
            if (kind == MessageKind.Payload) throw new ProtocolException($"The frame in shared-memory slot {message.Slot} names a slot in its turn; a frame there must be a message itself.");
            forLoop = ForMainLoop(kind);
        }
        catch
        {
            _sharedSlots.Release(message.Slot);
            throw;
        }
        if (forLoop) _frames.Add(InboundFrame.InSlot(payload, _sharedSlots, message.Slot));
        else _sharedSlots.Release(message.Slot);
    }

    // The reader's buffer is not returned: the pump's thread may still be blocked reading into it.
    public void Dispose() => _frames.Dispose();

    private void Run()
    {
        Exception? error = null;
        try
        {
            while (_reader.Read(this)) { }
        }
        catch (Exception e) when (ProtocolErrors.IsProtocolError(e) || e is IOException or ObjectDisposedException)
        {
            error = e;
        }
        // Told first: a protocol error exits the worker with its own code; with the frames completed first, the main
        // loop could see the end and exit as if the supervisor were gone (exit code 3 instead of 4).
        _onEnd(error);
        _frames.CompleteAdding();
    }
}
