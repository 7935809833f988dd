using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Supervisor.Diagnostics;
using Supervisor.Dispatch;
using Supervisor.Encoding;
using Supervisor.Protocol.Messages;
using Supervisor.Results;
using Supervisor.Supervision;

namespace Supervisor;

/// <summary>
/// A pool of worker processes, as Python's <c>multiprocessing.Pool</c>: <c>Map</c>, <c>Imap</c>,
/// <c>ImapUnordered</c>, <c>Starmap</c> and <c>Submit</c> (<c>apply_async</c>). Arguments are checked and
/// serialized in the caller's thread, so a value that cannot cross a process boundary fails the call that
/// passed it, never a background thread. A worker that dies is replaced and the pool goes on.
/// </summary>
/// <remarks>Thread-safe. Dispose it (<c>await using</c>) to end every worker process.</remarks>
public sealed class ProcessPool : IWorkerPool, IHostedWorkers
{
    private readonly WorkerGroup _group;
    private readonly WorkerOptions _options;
    private readonly Lock _disposeLock = new();
    private Task? _disposal;

    private ProcessPool(WorkerGroup group, WorkerOptions options)
    {
        _group = group;
        _options = options;
    }

    /// <summary>The workers now running.</summary>
    public IReadOnlyList<WorkerInfo> Workers => [.. _group.Workers.Select(w => new WorkerInfo(w.Name, w.ProcessId))];

    /// <summary>What the workers do and how much work the pool holds, now; cheap enough to poll for metrics and health.</summary>
    public PoolState State => _group.State;

    /// <summary>Every process id the pool started, replacements included (to check none is left behind).</summary>
    internal IReadOnlyList<int> StartedProcessIds => _group.StartedProcessIds;

    /// <summary>How many frames went through shared memory with every worker this pool started, both ways (for tests).</summary>
    internal long SharedMemoryFrames => _group.SharedMemoryFrames;

    /// <summary>How many of the workers this pool started it still shares memory with (for tests).</summary>
    internal int SharedMemoryRegions => _group.SharedMemoryRegions;

    /// <summary>Starts the workers and waits until each has completed its handshake and initializer.</summary>
    /// <exception cref="WorkerStartException">A worker could not start; its stderr is in the message.</exception>
    public static async Task<ProcessPool> StartAsync(WorkerOptions? options = null, CancellationToken cancellationToken = default)
    {
        var pool = Create(options ?? new WorkerOptions());
        await pool._group.StartAsync(cancellationToken).ConfigureAwait(false);
        return pool;
    }

    /// <summary>
    /// A pool whose workers are not started yet: calls are checked and queued, and run once
    /// <see cref="IHostedWorkers.StartWorkersAsync"/> has started the workers. A host hands it out before it starts.
    /// </summary>
    internal static ProcessPool Create(WorkerOptions options)
    {
        // A copy: options are settable (for configuration binding), and the pool must not change under a caller's edits.
        options = options with { };
        return new ProcessPool(new WorkerGroup(options), options);
    }

    Task IHostedWorkers.StartWorkersAsync(CancellationToken cancellationToken) => _group.StartAsync(cancellationToken);

    /// <summary>
    /// Runs one call (Python's <c>apply_async</c>); the task completes with its result. When
    /// <paramref name="cancellationToken"/> fires, the task completes as cancelled at once: a call still queued is
    /// dropped, and one already running is cancelled in its worker (see
    /// <see cref="SubmitAsync{T, TResult}(Func{T, CancellationToken, TResult}, T, CancellationToken)"/>), which is
    /// killed and replaced if the call does not stop within <see cref="WorkerOptions.CancellationGracePeriod"/>.
    /// </summary>
    public Task<TResult> SubmitAsync<T, TResult>(Func<T, TResult> function, T argument, CancellationToken cancellationToken = default) =>
        SubmitSingle<T, TResult>(function, argument, cancellationToken);

    /// <summary>
    /// Runs one call of a function that stops when its token fires: the worker gives the function a token of its own
    /// (a token cannot cross a process boundary), which fires when <paramref name="cancellationToken"/> does.
    /// </summary>
    public Task<TResult> SubmitAsync<T, TResult>(Func<T, CancellationToken, TResult> function, T argument, CancellationToken cancellationToken) =>
        SubmitSingle<T, TResult>(function, argument, cancellationToken);

    /// <summary>Runs one call of an asynchronous function; the worker awaits it and sends back what it returned.</summary>
    public Task<TResult> SubmitAsync<T, TResult>(Func<T, Task<TResult>> function, T argument, CancellationToken cancellationToken = default) =>
        SubmitSingle<T, TResult>(function, argument, cancellationToken);

    /// <summary>Runs one call with two arguments.</summary>
    public Task<TResult> SubmitAsync<T1, T2, TResult>(Func<T1, T2, TResult> function, T1 first, T2 second, CancellationToken cancellationToken = default)
    {
        var (item, sink) = Single<TResult>(_group.Functions.FromDelegate(function), ArgumentMode.Positional);
        return Enqueue(item, sink, (first, second), static (encoder, item, pair) => encoder.WritePair(item, pair.first, pair.second), cancellationToken);
    }

    /// <summary>
    /// Runs one call of <paramref name="function"/> with positional or named <paramref name="arguments"/>. A
    /// <see cref="CancellationToken"/> parameter of the function takes no argument: the worker fills it.
    /// </summary>
    public Task<TResult> SubmitAsync<TResult>(Function function, Arguments arguments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var (item, sink) = Single<TResult>(function, ArgumentEncoder.ModeOf(arguments));
        return Enqueue(item, sink, (function, arguments), static (encoder, item, call) => encoder.WriteArguments(item, call.function, call.arguments), cancellationToken);
    }

    /// <summary>
    /// Runs one call of <paramref name="function"/> (from <see cref="Function.FromDelegate{TResult}(Delegate)"/>,
    /// fixed arguments included) with <paramref name="arguments"/>; the result type is the function's.
    /// </summary>
    public Task<TResult> SubmitAsync<TResult>(Function<TResult> function, Arguments arguments, CancellationToken cancellationToken = default) =>
        SubmitAsync<TResult>((Function)function, arguments, cancellationToken);

    /// <summary>
    /// Applies <paramref name="function"/> to every item and returns the results in input order (Python's
    /// <c>map</c>). Items go in chunks of <paramref name="chunkSize"/>; 0 picks Python's rule,
    /// ceil(n / (4 × workers)). <paramref name="cancellationToken"/> cancels every chunk not finished, as for
    /// <see cref="SubmitAsync{T, TResult}(Func{T, TResult}, T, CancellationToken)"/>.
    /// </summary>
    public Task<TResult[]> MapAsync<T, TResult>(Func<T, TResult> function, IEnumerable<T> items, int chunkSize = 0, CancellationToken cancellationToken = default) =>
        MapCore<T, TResult>(_group.Functions.FromDelegate(function), ArgumentMode.Positional, items, chunkSize,
            static (encoder, item, values, start, end) => encoder.WriteSingles(item, values, start, end), cancellationToken);

    /// <summary>
    /// As <see cref="MapAsync{T, TResult}(Func{T, TResult}, IEnumerable{T}, int, CancellationToken)"/>, for a
    /// <see cref="Function{TResult}"/>: each item is the argument of the one parameter its fixed arguments leave
    /// (Python's <c>pool.map(partial(f, exponent=2), xs)</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The function does not leave exactly one parameter for the item.</exception>
    public Task<TResult[]> MapAsync<T, TResult>(Function<TResult> function, IEnumerable<T> items, int chunkSize = 0, CancellationToken cancellationToken = default) =>
        MapCore<T, TResult>(ItemFunction(function, Arguments.Of((object?)null)), ArgumentMode.Positional, items, chunkSize,
            static (encoder, item, values, start, end) => encoder.WriteSingles(item, values, start, end), cancellationToken);

    /// <summary>Applies a two-parameter function to every pair (Python's <c>starmap</c>).</summary>
    public Task<TResult[]> StarmapAsync<T1, T2, TResult>(Func<T1, T2, TResult> function, IEnumerable<(T1, T2)> items, int chunkSize = 0, CancellationToken cancellationToken = default) =>
        StarmapCore<T1, T2, TResult>(_group.Functions.FromDelegate(function), items, chunkSize, cancellationToken);

    /// <summary>As <see cref="StarmapAsync{T1, T2, TResult}(Func{T1, T2, TResult}, IEnumerable{ValueTuple{T1, T2}}, int, CancellationToken)"/>, for a <see cref="Function{TResult}"/> that leaves two parameters.</summary>
    /// <exception cref="ArgumentException">The function does not leave exactly two parameters for each pair.</exception>
    public Task<TResult[]> StarmapAsync<T1, T2, TResult>(Function<TResult> function, IEnumerable<(T1, T2)> items, int chunkSize = 0, CancellationToken cancellationToken = default) =>
        StarmapCore<T1, T2, TResult>(ItemFunction(function, Arguments.Of((object?)null, (object?)null)), items, chunkSize, cancellationToken);

    /// <summary>
    /// Applies <paramref name="function"/> to every item in input order, yielding each result as soon as it and
    /// those before it are in (Python's <c>imap</c>). A failed call throws where the iteration reaches it.
    /// Memory stays bounded for any input length. When the iteration ends early (a break, or
    /// <paramref name="cancellationToken"/>), the calls not finished are cancelled. When <paramref name="items"/>
    /// throws, the calls of the items before still yield their results, then its exception is thrown, as in Python.
    /// </summary>
    public IAsyncEnumerable<TResult> Imap<T, TResult>(Func<T, TResult> function, IEnumerable<T> items, int chunkSize = 1,
        CancellationToken cancellationToken = default) =>
        StreamValues<T, TResult>(_group.Functions.FromDelegate(function), items, chunkSize, ordered: true, cancellationToken);

    /// <summary>As <see cref="Imap{T, TResult}(Func{T, TResult}, IEnumerable{T}, int, CancellationToken)"/>, for a <see cref="Function{TResult}"/> that leaves one parameter for the item.</summary>
    /// <exception cref="ArgumentException">The function does not leave exactly one parameter for the item.</exception>
    public IAsyncEnumerable<TResult> Imap<T, TResult>(Function<TResult> function, IEnumerable<T> items, int chunkSize = 1,
        CancellationToken cancellationToken = default) =>
        StreamValues<T, TResult>(ItemFunction(function, Arguments.Of((object?)null)), items, chunkSize, ordered: true, cancellationToken);

    /// <summary>As <see cref="Imap{T, TResult}(Func{T, TResult}, IEnumerable{T}, int, CancellationToken)"/>, but yields results in completion order (Python's <c>imap_unordered</c>).</summary>
    public IAsyncEnumerable<TResult> ImapUnordered<T, TResult>(Func<T, TResult> function, IEnumerable<T> items, int chunkSize = 1,
        CancellationToken cancellationToken = default) =>
        StreamValues<T, TResult>(_group.Functions.FromDelegate(function), items, chunkSize, ordered: false, cancellationToken);

    /// <summary>As <see cref="ImapUnordered{T, TResult}(Func{T, TResult}, IEnumerable{T}, int, CancellationToken)"/>, for a <see cref="Function{TResult}"/> that leaves one parameter for the item.</summary>
    /// <exception cref="ArgumentException">The function does not leave exactly one parameter for the item.</exception>
    public IAsyncEnumerable<TResult> ImapUnordered<T, TResult>(Function<TResult> function, IEnumerable<T> items, int chunkSize = 1,
        CancellationToken cancellationToken = default) =>
        StreamValues<T, TResult>(ItemFunction(function, Arguments.Of((object?)null)), items, chunkSize, ordered: false, cancellationToken);

    /// <summary>
    /// Streams calls of <paramref name="function"/> and yields every outcome, failures included, without throwing:
    /// in input order, or in completion order when <paramref name="ordered"/> is false. Arguments that do not bind
    /// to the function's parameters yield a failed outcome for that call; the others go on. When
    /// <paramref name="calls"/> throws, the outcome of every call it gave before comes first, then its exception.
    /// </summary>
    public IAsyncEnumerable<TaskOutcome<TResult>> ImapOutcomes<TResult>(Function function, IAsyncEnumerable<Arguments> calls, bool ordered = true,
        int chunkSize = 1, CancellationToken cancellationToken = default) =>
        ImapOutcomes<TResult>(function, calls, ordered, chunkSize, CancellationToken.None, cancellationToken);

    /// <summary>
    /// As <see cref="ImapOutcomes{TResult}(Function, IAsyncEnumerable{Arguments}, bool, int, CancellationToken)"/>, with a
    /// graceful stop: once <paramref name="stopDispatching"/> is cancelled, no more calls are taken from
    /// <paramref name="calls"/> and none still waiting for a worker is sent; each of those yields a failed outcome with
    /// an <see cref="OperationCanceledException"/>. Calls a worker already holds run to their end and yield theirs.
    /// </summary>
    public IAsyncEnumerable<TaskOutcome<TResult>> ImapOutcomes<TResult>(Function function, IAsyncEnumerable<Arguments> calls, bool ordered,
        int chunkSize, CancellationToken stopDispatching, CancellationToken cancellationToken) =>
        StreamCore<Arguments, TResult>(function, ArgumentEncoder.ModeOf, calls, chunkSize, ordered,
            (e, item, arguments) => e.WriteArguments(item, function, arguments), cancellationToken, stopDispatching);

    /// <summary>
    /// The outcomes of one-argument calls, one per item, in completion order: a pipeline's process stage. Each item
    /// is written by its type, as <see cref="ImapUnordered{T, TResult}(Func{T, TResult}, IEnumerable{T}, int, CancellationToken)"/> does; the caller checked the binding once.
    /// </summary>
    internal IAsyncEnumerable<TaskOutcome<TResult>> ImapSingleOutcomes<T, TResult>(Function function, IAsyncEnumerable<T> items,
        CancellationToken cancellationToken) =>
        StreamCore<T, TResult>(function, static _ => ArgumentMode.Positional, items, chunkSize: 1, ordered: false,
            static (encoder, item, value) => encoder.WriteSingle(item, value), cancellationToken);

    /// <summary>Accepts no more tasks (Python's <c>close</c>); workers end once the queue is drained.</summary>
    public void Close() => _group.Close();

    /// <summary>Waits for every worker to end after <see cref="Close"/> (Python's <c>join</c>).</summary>
    public Task JoinAsync(CancellationToken cancellationToken = default) => _group.Completion.WaitAsync(cancellationToken);

    /// <summary>Kills every worker now (Python's <c>terminate</c>); unfinished calls fail.</summary>
    public Task TerminateAsync() => _group.TerminateAsync(new OperationCanceledException("The pool was terminated before this call finished."));

    /// <summary>Closes the pool, lets the workers finish within the grace period, then kills what is left. A second call waits for the first.</summary>
    public ValueTask DisposeAsync()
    {
        // Idempotent: a host's container may hold the pool under a name and as the default.
        lock (_disposeLock) _disposal ??= _group.DisposeAsync().AsTask();
        return new ValueTask(_disposal);
    }

    /// <summary>A function whose calls take items: its binding is checked once, against <paramref name="shape"/>, not per item.</summary>
    private static Function ItemFunction(Function function, Arguments shape)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentBinding.Validate(function, shape);
        return function;
    }

    private Task<TResult[]> StarmapCore<T1, T2, TResult>(Function function, IEnumerable<(T1, T2)> items, int chunkSize, CancellationToken cancellationToken) =>
        MapCore<(T1, T2), TResult>(function, ArgumentMode.Positional, items, chunkSize,
            static (encoder, item, pairs, start, end) =>
            {
                for (var i = start; i < end; i++) encoder.WritePair(item, pairs[i].Item1, pairs[i].Item2);
            }, cancellationToken);

    private async IAsyncEnumerable<TResult> StreamValues<T, TResult>(Function function, IEnumerable<T> items, int chunkSize, bool ordered,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The enumerator by hand rather than an await foreach over ConfigureAwait(false): that wrapper's code, generic over
        // the outcome type, would run at tier 0 for every value of a stream's first run. The token reaches the stream once,
        // through StreamCore.
        var outcomes = StreamCore<T, TResult>(function, _ => ArgumentMode.Positional, new SynchronousSource<T>(items), chunkSize,
            ordered, (e, item, value) => e.WriteSingle(item, value), cancellationToken).GetAsyncEnumerator(CancellationToken.None);
        try
        {
            while (await outcomes.MoveNextAsync().ConfigureAwait(false)) yield return Unwrap(outcomes.Current);
        }
        finally
        {
            await outcomes.DisposeAsync().ConfigureAwait(false);
        }
    }

    private Task<TResult> SubmitSingle<T, TResult>(Delegate function, T argument, CancellationToken cancellationToken)
    {
        var (item, sink) = Single<TResult>(_group.Functions.FromDelegate(function), ArgumentMode.Positional);
        return Enqueue(item, sink, argument, static (encoder, item, argument) => encoder.WriteSingle(item, argument), cancellationToken);
    }

    private (WorkItem Item, CompletionSink<TResult> Sink) Single<TResult>(Function function, ArgumentMode mode)
    {
        var sink = new CompletionSink<TResult>();
        return (new WorkItem(_group.Functions.IdOf(function), mode, 0, sink), sink);
    }

    // The arguments travel as state to a static writer: a call allocates no closure.
    private Task<TResult> Enqueue<TResult, TState>(WorkItem item, CompletionSink<TResult> sink, TState state,
        Action<ArgumentEncoder, WorkItem, TState> write, CancellationToken cancellationToken)
    {
        var span = CallSpan.Start("Submit", _group.Functions.Get(item.FunctionId).Function, calls: 1);
        span.Attach(item);
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            write(_group.Encoder, item, state);
            _group.Queue.Enqueue(item);
        }
        catch (Exception e)
        {
            item.Release();
            span.EndWith(e);
            throw;
        }
        if (cancellationToken.CanBeCanceled) CancelOnToken([item], sink.Task, sink.Cancel, cancellationToken);
        return span.EndWith(sink.Task);
    }

    /// <summary>When <paramref name="cancellationToken"/> fires before <paramref name="completion"/>, the caller's task is cancelled, then its tasks.</summary>
    private void CancelOnToken(IReadOnlyList<WorkItem> items, Task completion, Action<CancellationToken> cancelCaller, CancellationToken cancellationToken)
    {
        if (!cancellationToken.CanBeCanceled) return;
        var registration = cancellationToken.UnsafeRegister(_ =>
        {
            cancelCaller(cancellationToken);
            foreach (var item in items) _group.Cancel(item);
        }, null);
        // A long-lived token must not keep every finished call alive.
        completion.ContinueWith(static (_, state) => ((CancellationTokenRegistration)state!).Dispose(), registration,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>
    /// Every item's outcome of a one-argument map, failures in their places instead of failing the map: the map's
    /// chunks and encoding (chunk size by Python's rule) for a caller that answers each call, a distributed node.
    /// </summary>
    /// <exception cref="ArgumentException">The function does not leave exactly one parameter for the item.</exception>
    internal Task<(TResult[] Values, Exception?[] Errors)> MapOutcomesAsync<T, TResult>(Function function, IReadOnlyList<T> items,
        CancellationToken cancellationToken)
    {
        ItemFunction(function, Arguments.Of((object?)null));
        cancellationToken.ThrowIfCancellationRequested();
        if (items.Count == 0) return Task.FromResult((Array.Empty<TResult>(), Array.Empty<Exception?>()));
        var sink = new OutcomesSink<TResult>(items.Count);
        return DispatchMap(function, ArgumentMode.Positional, items, chunkSize: 0, sink, sink.Task, sink.Cancel,
            static (encoder, item, values, start, end) => encoder.WriteSingles(item, values, start, end), cancellationToken);
    }

    private Task<TResult[]> MapCore<T, TResult>(Function function, ArgumentMode mode, IEnumerable<T> items, int chunkSize,
        Action<ArgumentEncoder, WorkItem, IReadOnlyList<T>, int, int> writeChunk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentOutOfRangeException.ThrowIfNegative(chunkSize);
        cancellationToken.ThrowIfCancellationRequested();
        // An array, not a wrapper: a chunk of primitives is then written from a span (ArgumentEncoder).
        var list = items as IReadOnlyList<T> ?? items.ToArray();
        if (list.Count == 0) return Task.FromResult(Array.Empty<TResult>());
        var sink = new MapSink<TResult>(list.Count);
        return DispatchMap(function, mode, list, chunkSize, sink, sink.Task, sink.Cancel, writeChunk, cancellationToken);
    }

    // Writes every chunk of a map into the queue (0: Python's chunk size, ceil(n / (4 × workers))), its outcomes to
    // sink; returns the caller's task: completion, cancelled by cancel, once the map's span has ended.
    private Task<TOutcome> DispatchMap<T, TOutcome>(Function function, ArgumentMode mode, IReadOnlyList<T> list, int chunkSize, IResultSink sink,
        Task<TOutcome> completion, Action<CancellationToken> cancel, Action<ArgumentEncoder, WorkItem, IReadOnlyList<T>, int, int> writeChunk,
        CancellationToken cancellationToken)
    {
        if (chunkSize == 0) chunkSize = (int)Math.Ceiling(list.Count / (4.0 * _options.Workers));
        var functionId = _group.Functions.IdOf(function);
        // Everything is checked and serialized before the first task leaves: a bad item fails the call here.
        var chunks = new List<WorkItem>((list.Count / chunkSize) + 1);
        var span = CallSpan.Start("Map", function, list.Count);
        try
        {
            for (var start = 0; start < list.Count; start += chunkSize)
            {
                var item = new WorkItem(functionId, mode, start, sink);
                span.Attach(item);
                chunks.Add(item);
                writeChunk(_group.Encoder, item, list, start, Math.Min(start + chunkSize, list.Count));
            }
            foreach (var chunk in chunks) _group.Queue.Enqueue(chunk);
        }
        catch (Exception e)
        {
            foreach (var chunk in chunks) chunk.Release();
            span.EndWith(e);
            throw;
        }
        CancelOnToken(chunks, completion, cancel, cancellationToken);
        return span.EndWith(completion);
    }

    private IAsyncEnumerable<TaskOutcome<TResult>> StreamCore<T, TResult>(Function function, Func<T, ArgumentMode> modeOf,
        IAsyncEnumerable<T> items, int chunkSize, bool ordered, Action<ArgumentEncoder, WorkItem, T> write, CancellationToken cancellationToken,
        CancellationToken stopDispatching = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        // Enough calls in flight to fill every worker's window twice, and never less than two chunks per worker.
        // In order, results that overtook a late one wait in the reorder buffer and keep their places: a worker a
        // window behind would stall the others, so an ordered stream gets eight windows per worker instead of two
        // (measured in docs/benchmarks.md).
        var floor = chunkSize * _options.Workers * 2;
        var limit = Math.Max(_options.Workers * _options.MaxTasksInFlightPerWorker * (ordered ? 8 : 2), floor);
        return new CallStream<T, TResult>(_group, function, modeOf, write, chunkSize, limit, floor, ordered).RunAsync(items, stopDispatching, cancellationToken);
    }

    private static T Unwrap<T>(TaskOutcome<T> outcome)
    {
        if (outcome.Error is not null) ExceptionDispatchInfo.Throw(outcome.Error);
        return outcome.Value!;
    }
}
