using Supervisor.Testing.Running;

namespace Supervisor.Testing;

/// <summary>
/// Isolated calls from warm processes: still one process per call (each child runs one call and is replaced,
/// Python's <c>maxtasksperchild=1</c>), but children are started ahead of need (the forkserver start method's
/// spares), so a suite of many isolated tests does not wait for a process start per call. Calls are judged as
/// <see cref="Isolated"/>'s are, under the pool's one <see cref="IsolatedOptions"/>.
/// </summary>
/// <remarks>
/// The children are started before the calls they run: environment, culture and working directory are the pool's,
/// and <see cref="IsolatedOptions.Inherited"/> statics are copied as the parent holds them when each child starts,
/// not when its call is made. A child that ends on purpose (<see cref="IsolatedOptions.ExpectedExitCode"/>) is
/// replaced as a crashed one is; many in a row wait a backoff of up to a second each.
/// </remarks>
public sealed class IsolatedPool : IAsyncDisposable
{
    private readonly ProcessPool _pool;
    private readonly IsolatedOptions _options;
    private readonly OutputTail _tail;

    private IsolatedPool(ProcessPool pool, IsolatedOptions options, OutputTail tail, string namePrefix)
    {
        _pool = pool;
        _options = options;
        _tail = tail;
        NamePrefix = namePrefix;
    }

    /// <summary>The prefix of this pool's worker names, unique to it, so a <see cref="LeakGuard"/> can tell its children.</summary>
    internal string NamePrefix { get; }

    /// <summary>The children running or ready to run a call now (spares not counted).</summary>
    public IReadOnlyList<WorkerInfo> Workers => _pool.Workers;

    /// <summary>Starts the children and their spares.</summary>
    /// <exception cref="WorkerStartException">A child could not start.</exception>
    public static async Task<IsolatedPool> StartAsync(IsolatedOptions? options = null, IsolatedPoolOptions? poolOptions = null, CancellationToken cancellationToken = default)
    {
        options ??= new IsolatedOptions();
        poolOptions ??= new IsolatedPoolOptions();
        options.Validate();
        poolOptions.Validate();
        var tail = new OutputTail(options.OutputTailLines, options.Output);
        var workerOptions = ChildSetup.ToWorkerOptions(options, tail) with
        {
            Workers = poolOptions.Workers,
            StartMethod = StartMethod.Forkserver,
            Spares = poolOptions.Spares,
            MaxTasksPerWorker = 1,
            // Children that end on purpose are the point here, not a crash loop to stop.
            MaxRestarts = int.MaxValue,
            NamePrefix = $"isolated-pool-{Guid.NewGuid():N}"[..22],
        };
        var pool = await ProcessPool.StartAsync(workerOptions, cancellationToken).ConfigureAwait(false);
        return new IsolatedPool(pool, options, tail, workerOptions.NamePrefix);
    }

    /// <summary>Runs <paramref name="action"/> in a child of its own.</summary>
    public Task RunAsync(Action action, CancellationToken cancellationToken = default) =>
        RunAsync<object?>(Function.FromDelegate(action), Arguments.Of(), cancellationToken);

    /// <summary>Runs <paramref name="action"/> with <paramref name="argument"/> in a child of its own.</summary>
    public Task RunAsync<T>(Action<T> action, T argument, CancellationToken cancellationToken = default) =>
        RunAsync<object?>(Function.FromDelegate(action), Arguments.Of(argument), cancellationToken);

    /// <summary>Runs <paramref name="action"/> with two arguments in a child of its own.</summary>
    public Task RunAsync<T1, T2>(Action<T1, T2> action, T1 first, T2 second, CancellationToken cancellationToken = default) =>
        RunAsync<object?>(Function.FromDelegate(action), Arguments.Of(first, second), cancellationToken);

    /// <summary>Runs <paramref name="function"/> in a child of its own and returns its result.</summary>
    public Task<TResult> RunAsync<TResult>(Func<TResult> function, CancellationToken cancellationToken = default) =>
        RunAsync<TResult>(Function.FromDelegate(function), Arguments.Of(), cancellationToken);

    /// <summary>Runs <paramref name="function"/> with <paramref name="argument"/> in a child of its own and returns its result.</summary>
    public Task<TResult> RunAsync<T, TResult>(Func<T, TResult> function, T argument, CancellationToken cancellationToken = default) =>
        RunAsync<TResult>(Function.FromDelegate(function), Arguments.Of(argument), cancellationToken);

    /// <summary>Runs <paramref name="function"/> with two arguments in a child of its own and returns its result.</summary>
    public Task<TResult> RunAsync<T1, T2, TResult>(Func<T1, T2, TResult> function, T1 first, T2 second, CancellationToken cancellationToken = default) =>
        RunAsync<TResult>(Function.FromDelegate(function), Arguments.Of(first, second), cancellationToken);

    /// <summary>Runs the asynchronous <paramref name="function"/> in a child of its own.</summary>
    public Task RunAsync(Func<Task> function, CancellationToken cancellationToken = default) =>
        RunAsync<object?>(Function.FromDelegate(function), Arguments.Of(), cancellationToken);

    /// <summary>Runs the asynchronous <paramref name="function"/> in a child of its own and returns its result.</summary>
    public Task<TResult> RunAsync<TResult>(Func<Task<TResult>> function, CancellationToken cancellationToken = default) =>
        RunAsync<TResult>(Function.FromDelegate(function), Arguments.Of(), cancellationToken);

    /// <summary>Runs the asynchronous <paramref name="function"/> with <paramref name="argument"/> in a child of its own and returns its result.</summary>
    public Task<TResult> RunAsync<T, TResult>(Func<T, Task<TResult>> function, T argument, CancellationToken cancellationToken = default) =>
        RunAsync<TResult>(Function.FromDelegate(function), Arguments.Of(argument), cancellationToken);

    /// <summary>Runs <paramref name="function"/> with <paramref name="arguments"/> in a child of its own and returns its result.</summary>
    public async Task<TResult> RunAsync<TResult>(Function function, Arguments arguments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(arguments);
        var call = _pool.SubmitAsync<TResult>(function, arguments, cancellationToken);
        await ((Task)call).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return Verdict.Judge(call, _options, _tail);
    }

    /// <summary>Ends the children and the spares.</summary>
    public ValueTask DisposeAsync() => _pool.DisposeAsync();
}
