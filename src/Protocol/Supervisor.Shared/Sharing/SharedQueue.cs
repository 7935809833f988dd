namespace Supervisor.Sharing;

/// <summary>
/// Python's <c>multiprocessing.Queue</c> (as a manager hosts it): a <see cref="SharedSimpleQueue{T}"/> with an optional
/// maximum size (producers wait for room: backpressure), puts and gets with a timeout and clear Full, Empty and
/// Ended outcomes, and a count.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
public class SharedQueue<T> : SharedSimpleQueue<T>, ISharedReference<SharedQueue<T>>
{
    private protected SharedQueue(SharedHandle handle) : base(handle)
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

    /// <summary>
    /// Takes an item, waiting up to <paramref name="timeout"/> for one (Python's <c>get(timeout=…)</c>).
    /// </summary>
    /// <exception cref="TimeoutException">No item came within <paramref name="timeout"/> (Python's <c>queue.Empty</c>).</exception>
    /// <exception cref="QueueClosedException">The queue is closed and drained; no item will come.</exception>
    public async Task<T> GetAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var result = await GetCoreAsync(timeout, cancellationToken).ConfigureAwait(false);
        return result.Outcome switch
        {
            GetOutcome.Item => result.Item!,
            GetOutcome.Empty => throw new TimeoutException($"No item came within {timeout.TotalSeconds:0.###} s."),
            _ => throw new QueueClosedException("The queue is closed and drained: no item will come."),
        };
    }

    /// <summary>Takes an item, blocking up to <paramref name="timeout"/> for one (see <see cref="GetAsync(TimeSpan, CancellationToken)"/>).</summary>
    /// <exception cref="TimeoutException">No item came within <paramref name="timeout"/>.</exception>
    /// <exception cref="QueueClosedException">The queue is closed and drained.</exception>
    public T Get(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        GetAsync(timeout, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Adds <paramref name="item"/> if there is room within <paramref name="timeout"/>, blocking meanwhile (see <see cref="TryPutAsync"/>).</summary>
    public PutOutcome TryPut(T item, TimeSpan timeout = default, CancellationToken cancellationToken = default) =>
        TryPutAsync(item, timeout, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Takes an item if one comes within <paramref name="timeout"/>, blocking meanwhile (see <see cref="TryGetAsync"/>).</summary>
    public GetResult<T> TryGet(TimeSpan timeout = default, CancellationToken cancellationToken = default) =>
        TryGetAsync(timeout, cancellationToken).GetAwaiter().GetResult();

    /// <summary>How many items wait now (Python's <c>qsize()</c>), blocking for the answer: a snapshot.</summary>
    public int Count() => CountAsync().GetAwaiter().GetResult();

    /// <summary>How many items wait now (Python's <c>qsize()</c>): a snapshot.</summary>
    public Task<int> CountAsync(CancellationToken cancellationToken = default) => CountCoreAsync(cancellationToken);

    static bool ISharedReference<SharedQueue<T>>.CanRead(SharedObjectKind kind) =>
        kind is SharedObjectKind.Queue or SharedObjectKind.JoinableQueue;

    static SharedQueue<T> ISharedReference<SharedQueue<T>>.Attach(SharedHandle handle) => new(handle);
}
