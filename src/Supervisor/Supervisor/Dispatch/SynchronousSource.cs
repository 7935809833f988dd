namespace Supervisor.Dispatch;

/// <summary>
/// A caller's sequence as the source a <see cref="CallStream{T, TResult}"/> feeds from: each move completes at once,
/// through no state machine (an async iterator's would run as tier-0 code for every item of a stream's first run).
/// A cancelled enumeration stops at the next move; the sequence's own exception comes out of the move that hit it.
/// </summary>
internal sealed class SynchronousSource<T> : IAsyncEnumerable<T>
{
    private readonly IEnumerable<T> _items;

    /// <exception cref="ArgumentNullException"><paramref name="items"/> is null.</exception>
    public SynchronousSource(IEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        _items = items;
    }

    public IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        new Enumerator(_items.GetEnumerator(), cancellationToken);

    private sealed class Enumerator(IEnumerator<T> items, CancellationToken cancellationToken) : IAsyncEnumerator<T>
    {
        public T Current => items.Current;

        public ValueTask<bool> MoveNextAsync()
        {
            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                return new ValueTask<bool>(items.MoveNext());
            }
#pragma warning disable CA1031 // Whatever the sequence throws is the move's outcome, as an async iterator's would be.
            catch (Exception e)
#pragma warning restore CA1031
            {
                return ValueTask.FromException<bool>(e);
            }
        }

        public ValueTask DisposeAsync()
        {
            items.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
