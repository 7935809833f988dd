using System.Runtime.CompilerServices;

namespace Supervisor.SharedMemory;

/// <summary>Sends a <see cref="SharedArray{T}"/> as the path of its mapped file.</summary>
internal sealed class SharedArrayFormatter<T>() : SharedMemoryFormatter<SharedArray<T>>(Unsafe.SizeOf<T>()) where T : unmanaged
{
    protected override SharedMemoryBlock BlockOf(SharedArray<T> value) => value.Block;

    protected override SharedArray<T> Wrap(SharedMemoryBlock block) => new(block);
}
