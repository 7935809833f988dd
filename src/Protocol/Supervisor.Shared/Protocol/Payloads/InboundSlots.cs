using Supervisor.Protocol.Framing;

namespace Supervisor.Protocol.Payloads;

/// <summary>
/// The slots the other side writes its large frames into, read where they lie. What a frame names is untrusted: the
/// slot must be one of this direction's and not already held here, the length within a slot, else the frame is a
/// <see cref="ProtocolException"/>. Offsets come from this side's own layout, never from the shared memory.
/// </summary>
internal sealed class InboundSlots
{
    private readonly SlotRange _slots;
    private readonly SlotMemory[] _memory;
    // 1 while this side reads a slot: a frame naming it again before it was let go is a protocol error.
    private readonly int[] _held;
    private long _frames;

    public InboundSlots(SlotRange slots)
    {
        _slots = slots;
        _memory = [.. Enumerable.Range(0, slots.Count).Select(slot => new SlotMemory(slots, slot))];
        _held = new int[slots.Count];
    }

    /// <summary>How many frames were read from shared memory so far.</summary>
    public long Frames => Interlocked.Read(ref _frames);

    /// <summary>
    /// The payload of the frame in slot <paramref name="slot"/>, <paramref name="length"/> bytes, valid until
    /// <see cref="Release"/> of that slot.
    /// </summary>
    /// <exception cref="ProtocolException">No such slot, a slot already held, or a length outside it.</exception>
    /// <exception cref="ObjectDisposedException">The arena was disposed.</exception>
    public ReadOnlyMemory<byte> Take(int slot, int length)
    {
        if ((uint)slot >= (uint)_slots.Count)
        {
            throw new ProtocolException($"A frame named shared-memory slot {slot}; this connection has slots 0 to {_slots.Count - 1}.");
        }
        if (length < 1 || length > _slots.SlotBytes)
        {
            throw new ProtocolException($"A frame in shared-memory slot {slot} declared {length} bytes; a slot holds 1 to {_slots.SlotBytes}.");
        }
        if (Interlocked.Exchange(ref _held[slot], 1) == 1)
        {
            throw new ProtocolException($"A frame named shared-memory slot {slot} while the frame before in it was still being read.");
        }
        var added = false;
        _slots.Region.DangerousAddRef(ref added);
        Interlocked.Increment(ref _frames);
        return _memory[slot].Memory[..length];
    }

    /// <summary>Done with the frame in <paramref name="slot"/>: the writer may fill it again.</summary>
    public void Release(int slot)
    {
        Volatile.Write(ref _slots.State(slot), SlotRange.Free);
        Volatile.Write(ref _held[slot], 0);
        _slots.Region.DangerousRelease();
    }
}
