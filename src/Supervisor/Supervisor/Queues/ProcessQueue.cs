using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Supervisor.Dispatch;
using Supervisor.Encoding;
using Supervisor.Results;
using Supervisor.Supervision;

namespace Supervisor;

/// <summary>Starts <see cref="ProcessQueue{TIn, TOut}"/>s.</summary>
public static class ProcessQueue
{
    /// <summary>
    /// Starts a <c>ProcessQueue</c>: <see cref="WorkerOptions.Workers"/> processes that take items from
    /// a bounded input queue, call <paramref name="function"/>, and put results on an output queue.
    /// </summary>
    public static Task<ProcessQueue<TIn, TOut>> StartAsync<TIn, TOut>(Func<TIn, TOut> function, ProcessQueueOptions? options = null,
        CancellationToken cancellationToken = default) =>
        StartAsync<TIn, TOut>(Function.FromDelegate(function), options, cancellationToken);

    /// <summary>
    /// As above, for a <see cref="Function"/>, such as one with fixed arguments (<c>partial(cal_pow, exponent=2)</c>).
    /// Items that are dictionaries of string to value bind by parameter name, as Python's <c>fn(**data)</c>;
    /// <see cref="Arguments"/> bind as they say; anything else is the single argument.
    /// </summary>
    public static async Task<ProcessQueue<TIn, TOut>> StartAsync<TIn, TOut>(Function function, ProcessQueueOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var queue = Create<TIn, TOut>(function, options ?? new ProcessQueueOptions());
        await ((IHostedWorkers)queue).StartWorkersAsync(cancellationToken).ConfigureAwait(false);
        return queue;
    }

    /// <summary>A queue whose workers are not started yet (see <see cref="IHostedWorkers"/>); items put before wait for them.</summary>
    internal static ProcessQueue<TIn, TOut> Create<TIn, TOut>(Function function, ProcessQueueOptions options)
    {
        ArgumentNullException.ThrowIfNull(function);
        // A copy: options are settable (for configuration binding), and the queue must not change under a caller's edits.
        options = options with { };
        options.Validate();
        // Items join into one task on their way to a worker, unless a worker is recycled after a number of tasks,
        // where each item must count as one.
        return new ProcessQueue<TIn, TOut>(new WorkerGroup(options, options.MaxSize), function, joinItems: options.MaxTasksPerWorker == 0);
    }
}

/// <summary>
/// A producer/consumer <c>ProcessQueue</c>: worker processes consume a bounded input queue and fill an
/// unbounded output queue in completion order. <see cref="PutEndOfQueueAsync"/> puts one EndOfQueue per worker:
/// each ends after the items before it, and the output queue completes when all have.
/// </summary>
public sealed class ProcessQueue<TIn, TOut> : IAsyncDisposable, IHostedWorkers
{
    private readonly WorkerGroup _group;
    private readonly Function _function;
    private readonly int _functionId;
    private readonly bool _joinItems;
    private readonly StreamSink<TOut> _results = new();
    private readonly Lock _disposeLock = new();
    private Task? _disposal;
    private int _next;

    internal ProcessQueue(WorkerGroup group, Function function, bool joinItems)
    {
        _group = group;
        _joinItems = joinItems;
        _function = function;
        _functionId = group.Functions.IdOf(function);
    }

    /// <summary>The workers now running.</summary>
    public IReadOnlyList<WorkerInfo> Workers => [.. _group.Workers.Select(w => new WorkerInfo(w.Name, w.ProcessId))];

    /// <summary>What the workers do and how much work the queue holds, now; cheap enough to poll for metrics and health.</summary>
    public PoolState State => _group.State;

    /// <summary>Every process id the queue started, replacements included.</summary>
    internal IReadOnlyList<int> StartedProcessIds => _group.StartedProcessIds;

    /// <summary>
    /// Checks and serializes <paramref name="item"/> here, then puts it on the input queue, waiting while the
    /// queue holds <see cref="ProcessQueueOptions.MaxSize"/> items.
    /// </summary>
    /// <exception cref="UnserializableValueException">The item cannot cross a process boundary.</exception>
    /// <exception cref="InvalidOperationException">EndOfQueue was already put.</exception>
    public async ValueTask PutAsync(TIn item, CancellationToken cancellationToken = default)
    {
        var work = new WorkItem(_functionId, ItemEncoding.ModeOf(item), Interlocked.Increment(ref _next) - 1, _results) { Joinable = _joinItems };
        try
        {
            ItemEncoding.Write(_group.Encoder, work, _function, item);
            await _group.Queue.EnqueueAsync(work, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            work.Release();
            throw;
        }
    }

    /// <summary>Puts EndOfQueue for every worker: no more items; workers end once the queue is drained.</summary>
    public ValueTask PutEndOfQueueAsync()
    {
        _group.Close();
        return ValueTask.CompletedTask;
    }

    /// <summary>Takes the next result from the output queue, waiting for one (Python's <c>out_queue.get()</c>).</summary>
    /// <exception cref="RemoteTaskException">That item's call failed.</exception>
    /// <exception cref="InvalidOperationException">The queue ended and every result was taken.</exception>
    public async ValueTask<TOut> GetAsync(CancellationToken cancellationToken = default)
    {
        if (!await _results.Arrivals.WaitToReadAsync(cancellationToken).ConfigureAwait(false) || !_results.Arrivals.TryRead(out var outcome))
        {
            throw new InvalidOperationException("The output queue is empty and ended: every result was taken.");
        }
        return Unwrap(outcome);
    }

    /// <summary>Every result in completion order until the queue ends; a failed item throws where it is reached.</summary>
    public async IAsyncEnumerable<TOut> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var outcome in _results.Arrivals.ReadAllAsync(cancellationToken).ConfigureAwait(false)) yield return Unwrap(outcome);
    }

    /// <summary>Every outcome, failures included, in completion order until the queue ends.</summary>
    public IAsyncEnumerable<TaskOutcome<TOut>> ReadAllOutcomesAsync(CancellationToken cancellationToken = default) =>
        _results.Arrivals.ReadAllAsync(cancellationToken);

    /// <summary>Waits until every worker has ended after <see cref="PutEndOfQueueAsync"/> (Python's <c>p.join()</c>).</summary>
    public Task JoinAsync(CancellationToken cancellationToken = default) => _group.Completion.WaitAsync(cancellationToken);

    /// <summary>Puts EndOfQueue if not done yet, lets workers finish within the grace period, then kills what is left.</summary>
    public ValueTask DisposeAsync()
    {
        // Idempotent: a host's container may hold the queue under a name and as the default.
        lock (_disposeLock) _disposal ??= _group.DisposeAsync().AsTask();
        return new ValueTask(_disposal);
    }

    async Task IHostedWorkers.StartWorkersAsync(CancellationToken cancellationToken)
    {
        await _group.StartAsync(cancellationToken).ConfigureAwait(false);
        // Only a started group has the completion that ends the output queue.
        _ = _group.Completion.ContinueWith(_ => _results.Complete(), TaskScheduler.Default);
    }

    void IHostedWorkers.Close() => _group.Close();

    Task IHostedWorkers.TerminateAsync() => _group.TerminateAsync(new OperationCanceledException("The queue was terminated before this item finished."));

    private static TOut Unwrap(TaskOutcome<TOut> outcome)
    {
        if (outcome.Error is not null) ExceptionDispatchInfo.Throw(outcome.Error);
        return outcome.Value!;
    }
}
