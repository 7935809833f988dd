using System.Runtime.CompilerServices;

namespace Supervisor.SharedMemory;

/// <summary>Sends a <see cref="SharedValue{T}"/> as the path of its mapped file.</summary>
internal sealed class SharedValueFormatter<T>() : SharedMemoryFormatter<SharedValue<T>>(Unsafe.SizeOf<T>()) where T : unmanaged
{
    protected override SharedMemoryBlock BlockOf(SharedValue<T> value) => value.Block;

    protected override SharedValue<T> Wrap(SharedMemoryBlock block) => new(block);
}
