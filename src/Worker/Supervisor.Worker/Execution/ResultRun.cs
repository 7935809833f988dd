using MessagePack;
using Supervisor.Protocol;
using Supervisor.Protocol.Framing;
using Supervisor.Protocol.Messages;

namespace Supervisor.Worker.Execution;

/// <summary>
/// Gathers consecutive successful calls of one task into one Result frame, so a chunk of a map answers in a few
/// frames instead of one per call. A run ends when the next outcome is not its next call (another task, or an
/// error), and before every flush; its elapsed time and value count are filled in then.
/// </summary>
internal sealed class ResultRun(FrameWriter frames, int maxFrameBytes)
{
    private int _frameStart = -1;
    private int _tailOffset;
    private long _taskId;
    private int _nextItem;
    private int _count;
    private long _elapsedMicroseconds;

    /// <summary>Whether the open run holds values; an empty run adds nothing to the frames when it ends.</summary>
    public bool HasValues => _frameStart >= 0 && _count > 0;

    /// <summary>
    /// Makes the run ready for call <paramref name="item"/> of <paramref name="taskId"/> (ending the open run if the
    /// call does not continue it) and returns where its value starts.
    /// </summary>
    public int Prepare(long taskId, int item)
    {
        if (_frameStart >= 0 && (_taskId != taskId || _nextItem != item)) End();
        if (_frameStart < 0)
        {
            _frameStart = frames.BeginFrame();
            var writer = new MessagePackWriter(frames);
            new ResultMessage(taskId, item, 0, 0).WriteHead(ref writer);
            writer.Flush();
            _tailOffset = frames.Length - ResultMessage.TailBytes;
            _taskId = taskId;
            _nextItem = item;
            _count = 0;
            _elapsedMicroseconds = 0;
        }
        return frames.Length;
    }

    /// <summary>
    /// Takes the value written since <paramref name="valueStart"/> into the run; false, with the value dropped,
    /// when it would make the frame larger than the maximum.
    /// </summary>
    public bool TryCommit(int valueStart, long elapsedMicroseconds)
    {
        if (frames.Length - _frameStart - WireProtocol.FrameHeaderBytes > maxFrameBytes)
        {
            frames.Rewind(valueStart);
            return false;
        }
        _count++;
        _nextItem++;
        _elapsedMicroseconds += elapsedMicroseconds;
        return true;
    }

    /// <summary>Drops the value written since <paramref name="valueStart"/> (it failed half-way).</summary>
    public void Drop(int valueStart) => frames.Rewind(valueStart);

    /// <summary>Completes the open run's frame, or removes it if it holds no values.</summary>
    public void End()
    {
        if (_frameStart < 0) return;
        if (_count == 0)
        {
            frames.Rewind(_frameStart);
        }
        else
        {
            ResultMessage.WriteTail(frames.Written(_tailOffset, ResultMessage.TailBytes), _elapsedMicroseconds, _count);
            frames.EndFrame(_frameStart);
        }
        _frameStart = -1;
    }
}
