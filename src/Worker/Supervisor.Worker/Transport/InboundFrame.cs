using System.Buffers;

namespace Supervisor.Worker.Transport;

/// <summary>A frame's payload copied out of the pipe's buffer into a pooled array, until the executor is done with it.</summary>
internal readonly struct InboundFrame(byte[] buffer, int length)
{
    public ReadOnlyMemory<byte> Payload => buffer.AsMemory(0, length);

    public static InboundFrame CopyOf(ReadOnlySequence<byte> payload)
    {
        var buffer = ArrayPool<byte>.Shared.Rent((int)payload.Length);
        payload.CopyTo(buffer);
        return new InboundFrame(buffer, (int)payload.Length);
    }

    public void Return() => ArrayPool<byte>.Shared.Return(buffer);
}
