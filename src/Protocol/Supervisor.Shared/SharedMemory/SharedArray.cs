using System.Runtime.CompilerServices;

namespace Supervisor.SharedMemory;

/// <summary>
/// A fixed-length array of an unmanaged type in memory shared between processes, with one lock for the whole
/// array: Python's <c>multiprocessing.Array</c>. It travels as the path of its mapped file, like
/// <see cref="SharedValue{T}"/>.
/// </summary>
/// <typeparam name="T">An unmanaged type.</typeparam>
/// <remarks>Thread- and process-safe; the lock is not reentrant (see <see cref="SharedValue{T}"/>).</remarks>
public sealed class SharedArray<T> : IDisposable where T : unmanaged
{
    /// <summary>Creates a shared array of <paramref name="length"/> zeroed elements.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    public SharedArray(int length) => Block = SharedMemoryBlock.Create(length, Unsafe.SizeOf<T>());

    /// <summary>Creates a shared array holding a copy of <paramref name="values"/>.</summary>
    public SharedArray(ReadOnlySpan<T> values)
        : this(values.Length) => Block.CopyFrom(values);

    internal SharedArray(SharedMemoryBlock block) => Block = block;

    /// <summary>How many elements the array holds.</summary>
    public int Length => Block.Length;

    internal SharedMemoryBlock Block { get; }

    /// <summary>One element, read or written under the lock.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside the array.</exception>
    public T this[int index]
    {
        get => Block.Read<T>(index);
        set => Block.Write(index, value);
    }

    /// <summary>Replaces element <paramref name="index"/> with <paramref name="update"/>(element) under the lock.</summary>
    /// <returns>The new element.</returns>
    public T Update(int index, Func<T, T> update) => Block.Update(index, update);

    /// <summary>A copy of every element, taken under the lock (Python's <c>arr[:]</c>).</summary>
    public T[] ToArray() => Block.ToArray<T>();

    /// <summary>Unmaps the array; in the process that created it, also deletes its file.</summary>
    public void Dispose() => Block.Dispose();
}
