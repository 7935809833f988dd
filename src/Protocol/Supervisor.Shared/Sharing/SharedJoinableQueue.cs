namespace Supervisor.Sharing;

/// <summary>
/// Python's <c>multiprocessing.JoinableQueue</c>: a <see cref="SharedQueue{T}"/> that counts unfinished items. Every put
/// adds one; a consumer calls <see cref="TaskDoneAsync"/> when it has finished an item; <see cref="JoinAsync"/>
/// waits until the count is back to zero.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed class SharedJoinableQueue<T> : SharedQueue<T>, ISharedReference<SharedJoinableQueue<T>>
{
    private SharedJoinableQueue(SharedHandle handle) : base(handle)
    {
    }

    /// <summary>Marks one item got from the queue as finished.</summary>
    /// <exception cref="InvalidOperationException">Called more times than items were put.</exception>
    public async Task TaskDoneAsync(CancellationToken cancellationToken = default) =>
        await Handle.CallAsync(SharingOperation.TaskDone, TimeSpan.Zero, [], cancellationToken).ConfigureAwait(false);

    /// <summary>Marks one item got from the queue as finished, blocking until the manager has (see <see cref="TaskDoneAsync"/>).</summary>
    /// <exception cref="InvalidOperationException">Called more times than items were put.</exception>
    public void TaskDone() => TaskDoneAsync().GetAwaiter().GetResult();

    /// <summary>Blocks until every item put so far has been marked finished (see <see cref="JoinAsync"/>).</summary>
    public void Join(CancellationToken cancellationToken = default) => JoinAsync(cancellationToken).GetAwaiter().GetResult();

    /// <summary>Waits until every item put so far has been marked finished with <see cref="TaskDoneAsync"/>.</summary>
    /// <exception cref="ObjectDisposedException">The manager was disposed, before or while waiting.</exception>
    public async Task JoinAsync(CancellationToken cancellationToken = default)
    {
        var response = await Handle.CallAsync(SharingOperation.Join, Timeout.InfiniteTimeSpan, [], cancellationToken).ConfigureAwait(false);
        if (response.Status == SharingStatus.Ended)
        {
            throw new ObjectDisposedException(nameof(SharedJoinableQueue<T>), $"This {SharedObjectKind.JoinableQueue} cannot be joined: {SharedHandle.DisposedReason}.");
        }
    }

    static bool ISharedReference<SharedJoinableQueue<T>>.CanRead(SharedObjectKind kind) => kind == SharedObjectKind.JoinableQueue;

    static SharedJoinableQueue<T> ISharedReference<SharedJoinableQueue<T>>.Attach(SharedHandle handle) => new(handle);
}
