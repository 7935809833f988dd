namespace Supervisor.Sharing;

/// <summary>
/// Python's <c>multiprocessing.Queue</c> (as a manager hosts it): a <see cref="SimpleQueue{T}"/> with an optional
/// maximum size (producers wait for room: backpressure), puts and gets with a timeout and clear Full, Empty and
/// Ended outcomes, and a count.
/// </summary>
/// <remarks>
/// Its name is Python's; with <c>System.Collections.Generic</c> imported too (implicit usings), write
/// <c>Supervisor.Sharing.Queue&lt;T&gt;</c> or alias it.
/// </remarks>
/// <typeparam name="T">The item type.</typeparam>
public class Queue<T> : SimpleQueue<T>, ISharedReference<Queue<T>>
{
    private protected Queue(SharedHandle handle) : base(handle)
    {
    }

    /// <summary>
    /// Adds <paramref name="item"/> if there is room within <paramref name="timeout"/> (zero, the default: do not
    /// wait; <see cref="Timeout.InfiniteTimeSpan"/>: wait for room).
    /// </summary>
    /// <returns><see cref="PutOutcome.Added"/>, <see cref="PutOutcome.Full"/> or <see cref="PutOutcome.Closed"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A negative timeout.</exception>
    public async Task<PutOutcome> TryPutAsync(T item, TimeSpan timeout = default, CancellationToken cancellationToken = default)
    {
        var response = await Handle.CallAsync(SharingOperation.Put, timeout, Handle.Encode(item, "item"), cancellationToken)
            .ConfigureAwait(false);
        return response.Status switch
        {
            SharingStatus.Ok => PutOutcome.Added,
            SharingStatus.Full => PutOutcome.Full,
            SharingStatus.Ended => PutOutcome.Closed,
            _ => throw SharedHandle.Unexpected(response, SharingOperation.Put),
        };
    }

    /// <summary>
    /// Takes an item if one comes within <paramref name="timeout"/> (zero, the default: do not wait;
    /// <see cref="Timeout.InfiniteTimeSpan"/>: wait until an item or the end).
    /// </summary>
    /// <returns>The item, or <see cref="GetOutcome.Empty"/> (none yet), or <see cref="GetOutcome.Ended"/> (closed and drained).</returns>
    /// <exception cref="ArgumentOutOfRangeException">A negative timeout.</exception>
    public Task<GetResult<T>> TryGetAsync(TimeSpan timeout = default, CancellationToken cancellationToken = default) =>
        GetCoreAsync(timeout, cancellationToken);

    /// <summary>How many items wait now (Python's <c>qsize()</c>): a snapshot.</summary>
    public Task<int> CountAsync(CancellationToken cancellationToken = default) => CountCoreAsync(cancellationToken);

    static bool ISharedReference<Queue<T>>.CanRead(SharedObjectKind kind) =>
        kind is SharedObjectKind.Queue or SharedObjectKind.JoinableQueue;

    static Queue<T> ISharedReference<Queue<T>>.Attach(SharedHandle handle) => new(handle);
}
