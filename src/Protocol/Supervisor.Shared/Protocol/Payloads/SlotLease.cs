namespace Supervisor.Protocol.Payloads;

/// <summary>A slot being filled: its bytes, while the writer holds a reference on the region.</summary>
internal readonly ref struct SlotLease
{
    private readonly SharedRegion? _region;

    internal SlotLease(SharedRegion region, int slot, Span<byte> bytes)
    {
        _region = region;
        Slot = slot;
        Bytes = bytes;
    }

    /// <summary>The slot's index within its direction, as the frame naming it says.</summary>
    public int Slot { get; }

    /// <summary>Where the frame's payload goes.</summary>
    public Span<byte> Bytes { get; }

    /// <summary>Lets the region go; the slot stays full until the reader frees it.</summary>
    public void Dispose() => _region?.DangerousRelease();
}
