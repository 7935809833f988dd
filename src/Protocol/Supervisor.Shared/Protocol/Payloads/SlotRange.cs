namespace Supervisor.Protocol.Payloads;

/// <summary>The slots of one direction in a <see cref="SharedRegion"/>: where their states and bytes lie.</summary>
/// <param name="Region">The mapping.</param>
/// <param name="StatesOffset">Where the first slot's state word lies; each next one a cache line further.</param>
/// <param name="DataOffset">Where the first slot's bytes begin; each next one a stride further.</param>
/// <param name="Count">How many slots.</param>
/// <param name="SlotBytes">The bytes a slot holds.</param>
/// <param name="Stride">From one slot's start to the next's: the slot size rounded up to a page.</param>
internal sealed record SlotRange(SharedRegion Region, long StatesOffset, long DataOffset, int Count, int SlotBytes, long Stride)
{
    /// <summary>A slot nobody holds: its writer may fill it.</summary>
    public const int Free = 0;

    /// <summary>A slot written and not yet let go by its reader.</summary>
    public const int Full = 1;

    private const int StateStrideBytes = 64;

    /// <summary>The state word of slot <paramref name="slot"/>; the caller holds a reference on the region.</summary>
    public unsafe ref int State(int slot) => ref *(int*)(Region.Start + StatesOffset + (long)slot * StateStrideBytes);

    /// <summary>Where slot <paramref name="slot"/>'s bytes begin; the caller holds a reference on the region.</summary>
    public unsafe byte* Data(int slot) => Region.Start + DataOffset + slot * Stride;
}
