using System.Buffers;

namespace Supervisor.Protocol.Payloads;

/// <summary>
/// A slot's bytes as <see cref="Memory{T}"/>, so a frame in shared memory is read as a frame from the pipe is. Valid
/// only while the reader holds the slot (and with it a reference on the region).
/// </summary>
internal sealed unsafe class SlotMemory(SlotRange slots, int slot) : MemoryManager<byte>
{
    /// <inheritdoc />
    public override Span<byte> GetSpan() => new(slots.Data(slot), slots.SlotBytes);

    /// <inheritdoc />
    public override MemoryHandle Pin(int elementIndex = 0)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)elementIndex, (uint)slots.SlotBytes, nameof(elementIndex));
        return new MemoryHandle(slots.Data(slot) + elementIndex);
    }

    /// <inheritdoc />
    public override void Unpin()
    {
        // Mapped memory does not move.
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        // The region owns the memory.
    }
}
