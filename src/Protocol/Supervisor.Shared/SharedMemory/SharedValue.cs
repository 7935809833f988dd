using System.Runtime.CompilerServices;
using Supervisor.Protocol.Serialization;

namespace Supervisor.SharedMemory;

/// <summary>
/// One value of an unmanaged type in memory shared between processes, with a lock: Python's
/// <c>multiprocessing.Value</c>. Pass it as an argument (or inherited state) to a worker and its writes are seen
/// here at once. It travels as the path of its mapped file; the worker maps the same pages by the parameter's type.
/// </summary>
/// <typeparam name="T">An unmanaged type (bool, int, double, a struct of those...).</typeparam>
/// <remarks>
/// Thread- and process-safe: every read and write takes the lock. The lock is not reentrant: do not touch the same
/// value inside <see cref="Update"/>'s function. The process that created the value deletes its file on
/// <see cref="Dispose"/>; a worker's copy only unmaps it.
/// </remarks>
public sealed class SharedValue<T> : IDisposable where T : unmanaged
{
    /// <summary>Creates the shared value, holding <paramref name="initial"/>.</summary>
    /// <param name="initial">The first value (Python's <c>Value(c_bool, True)</c> is <c>new SharedValue&lt;bool&gt;(true)</c>).</param>
    public SharedValue(T initial = default)
    {
        Block = SharedMemoryBlock.Create(1, Unsafe.SizeOf<T>());
        Value = initial;
    }

    internal SharedValue(SharedMemoryBlock block) => Block = block;

    /// <summary>The value now, read or written under the lock.</summary>
    /// <exception cref="ObjectDisposedException">This copy was disposed.</exception>
    public T Value
    {
        get => Block.Read<T>(0);
        set => Block.Write(0, value);
    }

    internal SharedMemoryBlock Block { get; }

    /// <summary>
    /// Replaces the value with <paramref name="update"/>(value) under the lock, so no other process or thread
    /// writes in between (Python's <c>with v.get_lock(): v.value += 1</c>).
    /// </summary>
    /// <returns>The new value.</returns>
    public T Update(Func<T, T> update) => Block.Update(0, update);

    /// <summary>Unmaps the value; in the process that created it, also deletes its file.</summary>
    public void Dispose() => Block.Dispose();

    /// <summary>E.g. <c>SharedValue&lt;bool&gt;(False)</c>, as Python shows <c>c_bool(False)</c>.</summary>
    public override string ToString() => $"{TypeNames.Format(GetType())}({Value})";
}
