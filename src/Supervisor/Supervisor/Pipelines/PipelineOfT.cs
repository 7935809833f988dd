using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Supervisor.Pipelines;

/// <summary>
/// An immutable description of a pipeline whose items are <typeparamref name="T"/>: each <c>Then…</c> returns a new
/// pipeline with one more stage, and nothing runs until <see cref="RunAsync"/>. Stages are joined by bounded
/// channels (capacity: twice the writing stage's concurrency unless given), so a slow stage holds back the ones
/// before it; when a stage's input ends and its calls are done, its output ends, so the whole pipeline drains.
/// Items flow in completion order, not input order.
/// </summary>
/// <typeparam name="T">The items this pipeline's last stage yields.</typeparam>
public sealed class Pipeline<T>
{
    private readonly Func<PipelineRun, IAsyncEnumerable<T>> _start;
    private readonly int _stageCount;

    internal Pipeline(Func<PipelineRun, IAsyncEnumerable<T>> start, int stageCount)
    {
        _start = start;
        _stageCount = stageCount;
    }

    /// <summary>
    /// Adds a stage that runs <paramref name="function"/> on <paramref name="concurrency"/> async loops in this
    /// process, for I/O-bound work: at most <paramref name="concurrency"/> calls run at once.
    /// </summary>
    /// <param name="function">Called once per item; it should observe the token, which is cancelled when the run stops.</param>
    /// <param name="concurrency">How many calls may run at once; at least 1.</param>
    /// <param name="capacity">How many results may wait for the next stage; 0 means twice <paramref name="concurrency"/>.</param>
    public Pipeline<TOut> ThenOnThreads<TOut>(Func<T, CancellationToken, ValueTask<TOut>> function, int concurrency, int capacity = 0)
    {
        ArgumentNullException.ThrowIfNull(function);
        var bound = Validate(concurrency, capacity);
        var stage = _stageCount;
        return Then<TOut>(bound, (run, input, output) => OnThreadsAsync(run, stage, input, function, concurrency, output));
    }

    /// <summary>
    /// Adds a stage that runs <paramref name="function"/> in a <see cref="ProcessPool"/> of <paramref name="workers"/>
    /// worker processes, for CPU-bound work: each worker runs one call at a time, so at most
    /// <paramref name="workers"/> calls run at once. The pool starts with the run and is gone when the run ends.
    /// </summary>
    /// <param name="function">A function whose one unbound parameter takes the item (bind the others with <see cref="Function.Bind"/>).</param>
    /// <param name="workers">How many worker processes, and so calls at once; at least 1.</param>
    /// <param name="options">The pool's other options; its <see cref="WorkerOptions.Workers"/> is replaced by <paramref name="workers"/>.</param>
    /// <param name="capacity">How many results may wait for the next stage; 0 means twice <paramref name="workers"/>.</param>
    public Pipeline<TOut> ThenInProcesses<TOut>(Function function, int workers, WorkerOptions? options = null, int capacity = 0)
    {
        ArgumentNullException.ThrowIfNull(function);
        var bound = Validate(workers, capacity, nameof(workers));
        // Each item is the function's one argument: checked here once, not for every item.
        Encoding.ArgumentBinding.Validate(function, Arguments.Of((object?)null));
        var stage = _stageCount;
        var poolOptions = (options ?? new WorkerOptions()) with { Workers = workers };
        return Then<TOut>(bound, (run, input, output) => InProcessesAsync(run, stage, input, function, poolOptions, output));
    }

    /// <summary>
    /// Runs the pipeline and yields the last stage's results as they come. The first item that fails in any stage
    /// fails the run: the results already past it are yielded, then a <see cref="PipelineItemException"/> is thrown
    /// (an error of the source itself, or of a process stage's pool start, is thrown as it is).
    /// Cancelling <paramref name="cancellationToken"/>, or ending the iteration early, stops every stage and waits
    /// until every worker process of the run has exited.
    /// </summary>
    public async IAsyncEnumerable<T> RunAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var run = new PipelineRun(cancellationToken);
        await using (run.ConfigureAwait(false))
        {
            await foreach (var item in _start(run).WithCancellation(run.Token).ConfigureAwait(false)) yield return item;
            await run.CompleteAsync().ConfigureAwait(false);
        }
        // A cancelled run may have ended its stages quietly: say so rather than look complete.
        cancellationToken.ThrowIfCancellationRequested();
    }

    private Pipeline<TOut> Then<TOut>(int capacity, Func<PipelineRun, IAsyncEnumerable<T>, ChannelWriter<TOut>, Task> stage) =>
        new(run =>
        {
            var input = _start(run);
            var channel = Channel.CreateBounded<TOut>(new BoundedChannelOptions(capacity) { SingleWriter = false, SingleReader = false });
            run.Add(Task.Run(() => stage(run, input, channel.Writer)));
            return channel.Reader.ReadAllAsync(run.Token);
        }, _stageCount + 1);

    private static int Validate(int concurrency, int capacity, string concurrencyName = "concurrency")
    {
        if (concurrency < 1) throw new ArgumentOutOfRangeException(concurrencyName, concurrency, $"A pipeline stage needs {concurrencyName} of at least 1.");
        if (capacity < 0) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "A pipeline queue's capacity must be 0 (the default, twice the concurrency) or more.");
        return capacity == 0 ? 2 * concurrency : capacity;
    }

    private static Task OnThreadsAsync<TOut>(PipelineRun run, int stage, IAsyncEnumerable<T> input,
        Func<T, CancellationToken, ValueTask<TOut>> function, int concurrency, ChannelWriter<TOut> output)
    {
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = run.Token };
        return StageAsync(run, output, async () =>
        {
            // ForEachAsync takes items one at a time under its own lock, so the indexes follow the input order.
            await Parallel.ForEachAsync(Indexed(input), parallel, async (entry, token) =>
            {
                TOut result;
                try
                {
                    result = await function(entry.Item, token).ConfigureAwait(false);
                }
                catch (Exception e) when (!token.IsCancellationRequested)
                {
                    throw new PipelineItemException(stage, entry.Index, e);
                }
                await output.WriteAsync(result, token).ConfigureAwait(false);
            }).ConfigureAwait(false);
        });
    }

    private static Task InProcessesAsync<TOut>(PipelineRun run, int stage, IAsyncEnumerable<T> input, Function function,
        WorkerOptions options, ChannelWriter<TOut> output) =>
        StageAsync(run, output, async () =>
        {
            var pool = await ProcessPool.StartAsync(options, run.Token).ConfigureAwait(false);
            var failed = false;
            try
            {
                await foreach (var outcome in pool.ImapSingleOutcomes<T, TOut>(function, input, run.Token).ConfigureAwait(false))
                {
                    if (outcome.Error is { } error)
                    {
                        run.Fail(new PipelineItemException(stage, outcome.Index, error));
                        failed = true;
                        break;
                    }
                    await output.WriteAsync(outcome.Value!, run.Token).ConfigureAwait(false);
                }
            }
            finally
            {
                // A failed or stopped run wants none of the calls still running: kill them rather than wait out the grace period.
                if (failed || run.Token.IsCancellationRequested) await pool.TerminateAsync().ConfigureAwait(false);
                await pool.DisposeAsync().ConfigureAwait(false);
            }
        });

    /// <summary>
    /// Runs one stage's <paramref name="body"/>: a failure is recorded for the run, a stop is left for RunAsync to
    /// report, and either way the stage's output ends so the stages after it drain and end too.
    /// </summary>
    private static async Task StageAsync<TOut>(PipelineRun run, ChannelWriter<TOut> output, Func<Task> body)
    {
        try
        {
            await body().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (run.Token.IsCancellationRequested)
        {
            // The run was stopped; RunAsync reports it.
        }
        catch (Exception e)
        {
            run.Fail(e);
        }
        finally
        {
            output.TryComplete();
        }
    }

    private static async IAsyncEnumerable<(long Index, T Item)> Indexed(IAsyncEnumerable<T> items,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var index = 0L;
        await foreach (var item in items.WithCancellation(cancellationToken).ConfigureAwait(false)) yield return (index++, item);
    }
}
