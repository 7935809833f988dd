namespace Supervisor.Protocol.Payloads;

/// <summary>
/// The slots this side writes its large frames into. One writer: the connection's frame writer, which is used by one
/// thread at a time. A slot is taken when its state says the reader let it go, and marked full as it is handed out.
/// </summary>
internal sealed class OutboundSlots(SlotRange slots)
{
    private long _frames;

    /// <summary>The bytes of one slot: the largest frame that goes through shared memory.</summary>
    public int SlotBytes => slots.SlotBytes;

    /// <summary>How many frames went through shared memory so far.</summary>
    public long Frames => Interlocked.Read(ref _frames);

    /// <summary>
    /// Takes a free slot for a frame of <paramref name="length"/> bytes, to be filled through <paramref name="lease"/>
    /// and disposed before the frame naming it is sent. False when every slot is full, the frame is larger than a
    /// slot, or the arena was disposed: the frame then crosses the pipe.
    /// </summary>
    public unsafe bool TryRent(int length, out SlotLease lease)
    {
        lease = default;
        if (length > slots.SlotBytes || slots.Region.IsClosed) return false;
        var held = false;
        try
        {
            slots.Region.DangerousAddRef(ref held);
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        for (var slot = 0; slot < slots.Count; slot++)
        {
            ref var state = ref slots.State(slot);
            if (Volatile.Read(ref state) != SlotRange.Free) continue;
            Volatile.Write(ref state, SlotRange.Full);
            Interlocked.Increment(ref _frames);
            lease = new SlotLease(slots.Region, slot, new Span<byte>(slots.Data(slot), length));
            return true;
        }
        slots.Region.DangerousRelease();
        return false;
    }
}
