namespace Supervisor.Protocol.Payloads;

/// <summary>
/// One connection's shared memory: a <see cref="SharedRegion"/> cut into slots, a few for each direction. A frame of
/// <see cref="SharedFromBytes"/> or more is written into a free slot of its direction and the pipe carries only a
/// <see cref="Messages.PayloadMessage"/> naming the slot and the length; the reader reads the frame where it lies and
/// frees the slot. A frame that finds no free slot, or is larger than a slot, crosses the pipe as before.
/// </summary>
/// <remarks>
/// Layout, computed by both sides from the slot size alone: one page of slot states (a word each, a cache line
/// apart), then <see cref="SlotsPerDirection"/> slots towards the worker, then as many from it, each starting on a
/// page. A state is written by its slot's writer when it fills the slot and by its reader when it lets go; neither
/// side trusts the other's memory for bounds: every offset and length a reader uses is checked against its own
/// layout (<see cref="InboundSlots"/>).
/// </remarks>
internal sealed class PayloadArena : IDisposable
{
    /// <summary>Frames from this many payload bytes on go through shared memory when a slot is free.</summary>
    public const int SharedFromBytes = 64 * 1024;

    /// <summary>Slots each way: the frames a side can have written and not yet seen read.</summary>
    public const int SlotsPerDirection = 4;

    /// <summary>The largest slot: a frame larger than this (with a larger maximum frame size) crosses the pipe.</summary>
    public const int LargestSlotBytes = 64 * 1024 * 1024;

    private const int StateStrideBytes = 64;
    private const long StatesBytes = 4096;

    private readonly SharedRegion _region;

    private PayloadArena(SharedRegion region, int slotBytes, bool supervisorSide)
    {
        _region = region;
        SlotBytes = slotBytes;
        var stride = SharedRegion.PageAligned(slotBytes);
        var toWorker = new SlotRange(region, 0, StatesBytes, SlotsPerDirection, slotBytes, stride);
        var fromWorker = new SlotRange(region, SlotsPerDirection * StateStrideBytes, StatesBytes + SlotsPerDirection * stride, SlotsPerDirection, slotBytes, stride);
        Outbound = new OutboundSlots(supervisorSide ? toWorker : fromWorker);
        Inbound = new InboundSlots(supervisorSide ? fromWorker : toWorker);
    }

    /// <summary>The bytes of one slot: the largest frame that goes through it.</summary>
    public int SlotBytes { get; }

    /// <summary>Where this side writes its large frames.</summary>
    public OutboundSlots Outbound { get; }

    /// <summary>Where this side reads the other's large frames.</summary>
    public InboundSlots Inbound { get; }

    /// <summary>Whether this side still maps the memory (false once disposed and let go).</summary>
    public bool IsMapped => !_region.IsClosed;

    /// <summary>What a worker started now needs to map the arena: the inherited descriptor and the slot size.</summary>
    public (string Handle, int SlotBytes)? ForChild => _region.ChildHandle is { } handle ? (handle, SlotBytes) : null;

    /// <summary>The slot size for frames of at most <paramref name="maxFrameBytes"/>.</summary>
    public static int SlotBytesFor(int maxFrameBytes) => Math.Min(maxFrameBytes, LargestSlotBytes);

    /// <summary>
    /// The supervisor's side: a new arena whose descriptor the worker started next inherits. Call it inside the start
    /// gate. Null where shared memory is not supported (see <see cref="SharedRegion.IsSupported"/>), or when the maximum
    /// frame size leaves nothing worth sharing.
    /// </summary>
    /// <exception cref="IOException">The OS refused the memory.</exception>
    public static PayloadArena? CreateForWorker(int maxFrameBytes)
    {
        var slotBytes = SlotBytesFor(maxFrameBytes);
        if (!SharedRegion.IsSupported || slotBytes < SharedFromBytes) return null;
        return new PayloadArena(SharedRegion.Create(RegionBytes(slotBytes)), slotBytes, supervisorSide: true);
    }

    /// <summary>The worker's side: maps the arena its supervisor created, from what its command line says.</summary>
    /// <exception cref="IOException">The descriptor is no region of the size the slot size gives, or cannot be mapped.</exception>
    public static PayloadArena OpenInWorker(string handle, int slotBytes)
    {
        if (slotBytes is < SharedFromBytes or > LargestSlotBytes)
        {
            throw new IOException($"A shared-memory slot of {slotBytes} bytes is outside [{SharedFromBytes}, {LargestSlotBytes}].");
        }
        return new PayloadArena(SharedRegion.Open(handle, RegionBytes(slotBytes)), slotBytes, supervisorSide: false);
    }

    /// <summary>The worker has mapped it, or failed to start: the supervisor's copy of the descriptor goes.</summary>
    public void ReleaseChildHandle() => _region.ReleaseChildHandle();

    /// <summary>Unmaps this side's view once nothing reads or writes it any more.</summary>
    public void Dispose() => _region.Dispose();

    private static long RegionBytes(int slotBytes) => StatesBytes + 2L * SlotsPerDirection * SharedRegion.PageAligned(slotBytes);
}
