namespace Supervisor;

/// <summary>
/// What a caller does with a pool of workers, wherever the workers are: <see cref="ProcessPool"/> runs the calls in
/// worker processes of this machine, <c>Supervisor.Distributed.DistributedPool</c> in those of the nodes serving a
/// Redis queue. Code written against this interface runs on one machine or many by changing what it is given.
/// </summary>
/// <remarks>
/// Both check and serialize every argument in the caller's thread (a value that cannot cross fails there, as
/// <see cref="UnserializableValueException"/>), and a call that throws in its worker fails with
/// <see cref="RemoteTaskException"/>. What differs is what a failure of the machinery looks like (a worker's death,
/// a node's) and what cancellation reaches: each implementation documents its own.
/// </remarks>
public interface IWorkerPool : IAsyncDisposable
{
    /// <summary>Runs <c>function(argument)</c> once (Python's <c>apply_async</c>); the task completes with its result.</summary>
    Task<TResult> SubmitAsync<T, TResult>(Func<T, TResult> function, T argument, CancellationToken cancellationToken = default);

    /// <summary>Runs one call of a function that takes a <see cref="CancellationToken"/>: its worker fills that parameter.</summary>
    Task<TResult> SubmitAsync<T, TResult>(Func<T, CancellationToken, TResult> function, T argument, CancellationToken cancellationToken);

    /// <summary>Runs one call of an asynchronous function; its worker awaits it and sends back what it returned.</summary>
    Task<TResult> SubmitAsync<T, TResult>(Func<T, Task<TResult>> function, T argument, CancellationToken cancellationToken = default);

    /// <summary>Runs <c>function(first, second)</c> once.</summary>
    Task<TResult> SubmitAsync<T1, T2, TResult>(Func<T1, T2, TResult> function, T1 first, T2 second, CancellationToken cancellationToken = default);

    /// <summary>Runs one call of <paramref name="function"/> (fixed arguments included) with positional or named <paramref name="arguments"/>.</summary>
    Task<TResult> SubmitAsync<TResult>(Function function, Arguments arguments, CancellationToken cancellationToken = default);

    /// <summary>As <see cref="SubmitAsync{TResult}(Function, Arguments, CancellationToken)"/>, the result type being the function's.</summary>
    Task<TResult> SubmitAsync<TResult>(Function<TResult> function, Arguments arguments, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies <paramref name="function"/> to every item; the results in input order (Python's <c>map</c>). Items
    /// travel in chunks of <paramref name="chunkSize"/>; 0 lets the pool choose.
    /// </summary>
    Task<TResult[]> MapAsync<T, TResult>(Func<T, TResult> function, IEnumerable<T> items, int chunkSize = 0, CancellationToken cancellationToken = default);

    /// <summary>As <see cref="MapAsync{T, TResult}(Func{T, TResult}, IEnumerable{T}, int, CancellationToken)"/>, each item the argument of the one parameter the function's fixed arguments leave.</summary>
    Task<TResult[]> MapAsync<T, TResult>(Function<TResult> function, IEnumerable<T> items, int chunkSize = 0, CancellationToken cancellationToken = default);

    /// <summary>Results in input order as they come (Python's <c>imap</c>), the input fed as results return; a failed call throws where the iteration reaches it.</summary>
    IAsyncEnumerable<TResult> Imap<T, TResult>(Func<T, TResult> function, IEnumerable<T> items, int chunkSize = 1, CancellationToken cancellationToken = default);

    /// <summary>As <see cref="Imap{T, TResult}(Func{T, TResult}, IEnumerable{T}, int, CancellationToken)"/>, for a function that leaves one parameter for the item.</summary>
    IAsyncEnumerable<TResult> Imap<T, TResult>(Function<TResult> function, IEnumerable<T> items, int chunkSize = 1, CancellationToken cancellationToken = default);

    /// <summary>Results in completion order (Python's <c>imap_unordered</c>); a failed call throws when it completes.</summary>
    IAsyncEnumerable<TResult> ImapUnordered<T, TResult>(Func<T, TResult> function, IEnumerable<T> items, int chunkSize = 1, CancellationToken cancellationToken = default);

    /// <summary>As <see cref="ImapUnordered{T, TResult}(Func{T, TResult}, IEnumerable{T}, int, CancellationToken)"/>, for a function that leaves one parameter for the item.</summary>
    IAsyncEnumerable<TResult> ImapUnordered<T, TResult>(Function<TResult> function, IEnumerable<T> items, int chunkSize = 1, CancellationToken cancellationToken = default);

    /// <summary>Every call's outcome, value or error, with its input index, without throwing: in input order, or as they complete.</summary>
    IAsyncEnumerable<TaskOutcome<TResult>> ImapOutcomes<TResult>(Function function, IAsyncEnumerable<Arguments> calls, bool ordered = true,
        int chunkSize = 1, CancellationToken cancellationToken = default);

    /// <summary>
    /// As <see cref="ImapOutcomes{TResult}(Function, IAsyncEnumerable{Arguments}, bool, int, CancellationToken)"/>, with a
    /// graceful stop: once <paramref name="stopDispatching"/> fires, no more calls are taken from <paramref name="calls"/>
    /// and none not yet sent is sent (each yields an <see cref="OperationCanceledException"/> outcome); calls already
    /// sent run to their end and yield theirs.
    /// </summary>
    IAsyncEnumerable<TaskOutcome<TResult>> ImapOutcomes<TResult>(Function function, IAsyncEnumerable<Arguments> calls, bool ordered,
        int chunkSize, CancellationToken stopDispatching, CancellationToken cancellationToken);
}
