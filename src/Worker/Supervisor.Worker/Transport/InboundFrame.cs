using System.Buffers;
using Supervisor.Protocol.Payloads;

namespace Supervisor.Worker.Transport;

/// <summary>
/// A frame's payload until the executor is done with it: copied out of the pipe's buffer into a pooled array, or read
/// where it lies in a shared-memory slot, which <see cref="Return"/> frees for the supervisor.
/// </summary>
internal readonly struct InboundFrame
{
    private readonly byte[]? _pooled;
    private readonly InboundSlots? _slots;
    private readonly int _slot;

    private InboundFrame(ReadOnlyMemory<byte> payload, byte[]? pooled, InboundSlots? slots, int slot)
    {
        Payload = payload;
        _pooled = pooled;
        _slots = slots;
        _slot = slot;
    }

    public ReadOnlyMemory<byte> Payload { get; }

    public static InboundFrame CopyOf(ReadOnlySequence<byte> payload)
    {
        var buffer = ArrayPool<byte>.Shared.Rent((int)payload.Length);
        payload.CopyTo(buffer);
        return new InboundFrame(buffer.AsMemory(0, (int)payload.Length), buffer, null, 0);
    }

    /// <summary>The frame in <paramref name="slot"/> of <paramref name="slots"/>, taken already, read in place.</summary>
    public static InboundFrame InSlot(ReadOnlyMemory<byte> payload, InboundSlots slots, int slot) => new(payload, null, slots, slot);

    public void Return()
    {
        if (_pooled is not null) ArrayPool<byte>.Shared.Return(_pooled);
        else _slots?.Release(_slot);
    }
}
