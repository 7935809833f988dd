using System.Runtime.CompilerServices;

namespace Supervisor.Sharing;

/// <summary>
/// Python's <c>multiprocessing.SimpleQueue</c>: an unbounded queue hosted by a <c>ProcessManager</c>, usable here
/// and in any worker process it is passed to (as a task's or a process's argument, declared with this type).
/// Items put by one producer, one after the other, are got in that order.
/// </summary>
/// <remarks>
/// To drain a queue that several consumers share, close it once every producer is done and read with
/// <see cref="ReadAllAsync"/>: each consumer stops at the end, and each item goes to exactly one of them. Never
/// drain with <see cref="IsEmptyAsync"/> then <see cref="GetAsync"/>: another consumer may take the last item in
/// between (seed 004's hang; here the get would wait until the queue is closed, then throw).
/// Each operation has a synchronous form (<see cref="Put"/>, <see cref="Get"/>, …) for synchronous functions: it
/// blocks the calling thread until the manager answers. From asynchronous code use the <c>…Async</c> forms.
/// </remarks>
/// <typeparam name="T">The item type; items are serialized by this type, so the producer's and the consumer's must match.</typeparam>
public class SharedSimpleQueue<T> : ISharedReference<SharedSimpleQueue<T>>
{
    private protected SharedSimpleQueue(SharedHandle handle) => Handle = handle;

    SharedHandle ISharedReference.Handle => Handle;

    private protected SharedHandle Handle { get; }

    /// <summary>Adds <paramref name="item"/>, waiting for room in a bounded queue.</summary>
    /// <exception cref="UnserializableValueException">The item cannot cross a process boundary.</exception>
    /// <exception cref="QueueClosedException">The queue is closed.</exception>
    /// <exception cref="ObjectDisposedException">The manager hosting the queue was disposed.</exception>
    public async Task PutAsync(T item, CancellationToken cancellationToken = default)
    {
        var response = await Handle.CallAsync(SharingOperation.Put, Timeout.InfiniteTimeSpan, Handle.Encode(item, "item"), cancellationToken)
            .ConfigureAwait(false);
        if (response.Status == SharingStatus.Ended) throw new QueueClosedException("The queue is closed: it accepts no more items.");
        if (response.Status != SharingStatus.Ok) throw SharedHandle.Unexpected(response, SharingOperation.Put);
    }

    /// <summary>Adds <paramref name="item"/>, blocking while a bounded queue is full (see <see cref="PutAsync"/>).</summary>
    /// <exception cref="UnserializableValueException">The item cannot cross a process boundary.</exception>
    /// <exception cref="QueueClosedException">The queue is closed.</exception>
    public void Put(T item, CancellationToken cancellationToken = default) => PutAsync(item, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Takes the next item, blocking until one comes (see <see cref="GetAsync(CancellationToken)"/>).</summary>
    /// <exception cref="QueueClosedException">The queue is closed and drained; no item will come.</exception>
    public T Get(CancellationToken cancellationToken = default) => GetAsync(cancellationToken).GetAwaiter().GetResult();

    /// <summary>Takes the next item, waiting for one.</summary>
    /// <exception cref="QueueClosedException">The queue is closed and drained; no item will come.</exception>
    /// <exception cref="ObjectDisposedException">The manager hosting the queue was disposed.</exception>
    public async Task<T> GetAsync(CancellationToken cancellationToken = default)
    {
        var result = await GetCoreAsync(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
        return result.HasItem
            ? result.Item!
            : throw new QueueClosedException(
                "The queue is closed and drained: no item will come. Read with ReadAllAsync (or TryGetAsync until GetOutcome.Ended) to stop at the end.");
    }

    /// <summary>
    /// Every item until the queue is closed and drained: the safe way for one or many consumers to drain a queue.
    /// Ends when the queue ends, never blocks past it.
    /// </summary>
    public async IAsyncEnumerable<T> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var result = await GetCoreAsync(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
            if (!result.HasItem) yield break;
            yield return result.Item!;
        }
    }

    /// <summary>
    /// Closes the queue for every process: no more puts; consumers get what is left, then the end. Call it once all
    /// producers are done (as the seeds put a sentinel). Closing twice is harmless.
    /// </summary>
    public async Task CloseAsync(CancellationToken cancellationToken = default) =>
        await Handle.CallAsync(SharingOperation.Close, TimeSpan.Zero, [], cancellationToken).ConfigureAwait(false);

    /// <summary>Closes the queue for every process, blocking until the manager has (see <see cref="CloseAsync"/>).</summary>
    public void Close() => CloseAsync().GetAwaiter().GetResult();

    /// <summary>Whether the queue is empty at this instant (see <see cref="IsEmptyAsync"/>), blocking for the answer.</summary>
    public bool IsEmpty() => IsEmptyAsync().GetAwaiter().GetResult();

    /// <summary>Whether the queue is empty at this instant: a snapshot, stale as soon as it returns. Do not drain with it.</summary>
    public async Task<bool> IsEmptyAsync(CancellationToken cancellationToken = default) =>
        await CountCoreAsync(cancellationToken).ConfigureAwait(false) == 0;

    private protected async Task<int> CountCoreAsync(CancellationToken cancellationToken)
    {
        var response = await Handle.CallAsync(SharingOperation.Count, TimeSpan.Zero, [], cancellationToken)
            .ConfigureAwait(false);
        return (int)response.Value;
    }

    private protected async Task<GetResult<T>> GetCoreAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var response = await Handle.CallAsync(SharingOperation.Get, timeout, [], cancellationToken)
            .ConfigureAwait(false);
        return response.Status switch
        {
            SharingStatus.Item => new GetResult<T>(GetOutcome.Item, SharedHandle.Decode<T>(response)),
            SharingStatus.Empty => new GetResult<T>(GetOutcome.Empty, default),
            SharingStatus.Ended => new GetResult<T>(GetOutcome.Ended, default),
            _ => throw SharedHandle.Unexpected(response, SharingOperation.Get),
        };
    }

    static bool ISharedReference<SharedSimpleQueue<T>>.CanRead(SharedObjectKind kind) =>
        kind is SharedObjectKind.SimpleQueue or SharedObjectKind.Queue or SharedObjectKind.JoinableQueue;

    static SharedSimpleQueue<T> ISharedReference<SharedSimpleQueue<T>>.Attach(SharedHandle handle) => new(handle);
}
