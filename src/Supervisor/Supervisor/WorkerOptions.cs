using Microsoft.Extensions.Logging;
using Supervisor.Protocol;

namespace Supervisor;

/// <summary>
/// How a group of worker processes is started, fed and ended. Every property has a documented default. Settable, so
/// that a host binds it from configuration; a pool copies it as it is created, so later changes do not reach it.
/// </summary>
public record WorkerOptions
{
    /// <summary>How many worker processes. Default: the number of processor cores.</summary>
    public int Workers { get; set; } = Environment.ProcessorCount;

    /// <summary>How workers come to life. Default: <see cref="StartMethod.Spawn"/>.</summary>
    public StartMethod StartMethod { get; set; } = StartMethod.Spawn;

    /// <summary>
    /// With <see cref="StartMethod.Fork"/> or <see cref="StartMethod.Forkserver"/>: the statics each worker inherits as the
    /// parent holds them when it starts, e.g. <c>[InheritedState.Of(() =&gt; Settings.Threshold)]</c>. Default: none.
    /// </summary>
    public IReadOnlyList<InheritedState> Inherited { get; set; } = [];

    /// <summary>
    /// With <see cref="StartMethod.Forkserver"/>: how many warm workers the pool keeps ready, each taken one (a
    /// replacement) started again in the background. Default: null, one spare.
    /// </summary>
    public int? Spares { get; set; }

    /// <summary>A function each worker runs once before its first task (Python's <c>initializer</c>). Default: none.</summary>
    public Function? Initializer { get; set; }

    /// <summary>The initializer's arguments (Python's <c>initargs</c>). Default: none.</summary>
    public Arguments? InitializerArguments { get; set; }

    /// <summary>
    /// Sets <see cref="Initializer"/> and <see cref="InitializerArguments"/> (Python's <c>initializer=f, initargs=(…)</c>)
    /// from a method group or a lambda that captures nothing, checked as <see cref="Function.FromDelegate(Delegate)"/> checks it.
    /// </summary>
    /// <exception cref="UnserializableValueException"><paramref name="initializer"/> captures state.</exception>
    public void SetInitializer(Delegate initializer, Arguments? arguments = null) =>
        SetInitializer(Function.FromDelegate(initializer), arguments);

    /// <summary>Sets <see cref="Initializer"/> and <see cref="InitializerArguments"/> (Python's <c>initializer=f, initargs=(…)</c>).</summary>
    public void SetInitializer(Function initializer, Arguments? arguments = null)
    {
        Initializer = initializer ?? throw new ArgumentNullException(nameof(initializer));
        InitializerArguments = arguments;
    }

    /// <summary>The most tasks one worker holds at once; its window is sized from measured call times up to this. Default: 64.</summary>
    public int MaxTasksInFlightPerWorker { get; set; } = 64;

    /// <summary>The largest frame either side accepts, checked before anything is allocated for it. Default: 64 MiB.</summary>
    public int MaxFrameBytes { get; set; } = WireProtocol.DefaultMaxFrameBytes;

    /// <summary>
    /// Whether frames of 64 KiB and more (large arguments and results) cross through memory shared with the worker alone
    /// instead of its pipe. Default: true, on 64-bit Linux and macOS; Windows always uses the pipe.
    /// </summary>
    public bool SharedMemoryPayloads { get; set; } = true;

    /// <summary>
    /// The worker executable. Default: <c>Supervisor.WorkerHost</c> beside this library, which runs public
    /// static methods of any assembly.
    /// </summary>
    public string? WorkerExecutable { get; set; }

    /// <summary>Environment variables set for the worker processes, on top of this process's own; a null value removes one. Default: none.</summary>
    public IReadOnlyDictionary<string, string?> EnvironmentVariables { get; set; } = new Dictionary<string, string?>();

    /// <summary>
    /// Whether workers start with the .NET runtime's diagnostics (debugger attach, <c>dotnet-trace</c>, <c>dotnet-dump</c>;
    /// a killed worker then leaves their files in the temp directory). Default: false, off.
    /// </summary>
    public bool RuntimeDiagnostics { get; set; }

    /// <summary>
    /// Receives each line workers write to stdout and stderr; a line past 64 Ki characters comes cut, with a marker saying
    /// how much was left out. Default: written to this process's console, prefixed with the worker's name.
    /// </summary>
    public Action<WorkerOutputLine>? Output { get; set; }

    /// <summary>Where worker starts, exits and crashes are logged. Default: nowhere.</summary>
    public ILogger? Logger { get; set; }

    /// <summary>Hears workers start, end and be replaced, calls sent again, the pool break (for metrics and health). Default: none.</summary>
    public PoolObserver? Observer { get; set; }

    /// <summary>How long a worker has to start and say hello. Default: 30 seconds.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long closing waits for workers to finish before it kills them. Default: 10 seconds.</summary>
    public TimeSpan ShutdownGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How many more times a call runs when its worker dies running it (an exception it raises never runs again).
    /// Default: 3, as Ray and Dask; past them it fails with <see cref="WorkerCrashedException"/>.
    /// </summary>
    public int Retries { get; set; } = 3;

    /// <summary>
    /// How long one call may run before its worker is killed and replaced, the call retried or failed with
    /// <see cref="TaskTimeoutException"/> (counted per call; docs/architecture.md, step 6). Default: null, no limit.
    /// </summary>
    public TimeSpan? TaskTimeout { get; set; }

    /// <summary>
    /// How long a running call has to stop through its <see cref="CancellationToken"/> once cancelled, before its worker
    /// is killed and replaced (docs/architecture.md, step 7). Default: 2 seconds.
    /// </summary>
    public TimeSpan CancellationGracePeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Tasks a worker runs before it is replaced by a fresh one (Python's <c>maxtasksperchild</c>). A chunk of a
    /// map counts as one task. Default: 0, no limit.
    /// </summary>
    public int MaxTasksPerWorker { get; set; }

    /// <summary>
    /// A worker whose working set grows past this many bytes is replaced between tasks, as loky does.
    /// Default: 0, no limit.
    /// </summary>
    public long MaxWorkerMemoryBytes { get; set; }

    /// <summary>
    /// At most this many crash-loop crashes within <see cref="RestartPeriod"/> (Erlang/OTP's restart intensity, with
    /// backoff; docs/architecture.md, step 6), then the pool fails with <see cref="PoolBrokenException"/>. Default: 10.
    /// </summary>
    public int MaxRestarts { get; set; } = 10;

    /// <summary>The period <see cref="MaxRestarts"/> counts over. Default: 10 seconds.</summary>
    public TimeSpan RestartPeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The clock for timeouts, restart intensity and backoff; tests pass a fake one. Default: the system clock.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>The prefix of worker names: <c>worker-1</c>, <c>worker-2</c>… Default: <c>worker</c>.</summary>
    public string NamePrefix { get; set; } = "worker";

    /// <summary>The one worker's own name, instead of <see cref="NamePrefix"/> and a number (a named <see cref="WorkerProcess"/>).</summary>
    internal string? FixedName { get; init; }

    /// <summary>The name of the worker numbered <paramref name="id"/>.</summary>
    internal string NameOf(int id) => FixedName ?? $"{NamePrefix}-{id}";

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option that is wrong (its ParamName is the property's name).</summary>
    internal virtual void Validate()
    {
        if (Workers < 1) throw new ArgumentOutOfRangeException(nameof(Workers), Workers, "At least one worker is needed.");
        if (MaxTasksInFlightPerWorker < 1) throw new ArgumentOutOfRangeException(nameof(MaxTasksInFlightPerWorker), MaxTasksInFlightPerWorker, "Must be at least 1.");
        if (MaxFrameBytes < 1024) throw new ArgumentOutOfRangeException(nameof(MaxFrameBytes), MaxFrameBytes, "Must be at least 1024 bytes.");
        if (Retries < 0) throw new ArgumentOutOfRangeException(nameof(Retries), Retries, "Must not be negative.");
        if (TaskTimeout is { } timeout && timeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(TaskTimeout), timeout, "Must be positive.");
        if (CancellationGracePeriod < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(CancellationGracePeriod), CancellationGracePeriod, "Must not be negative.");
        if (MaxTasksPerWorker < 0) throw new ArgumentOutOfRangeException(nameof(MaxTasksPerWorker), MaxTasksPerWorker, "Must not be negative.");
        if (MaxWorkerMemoryBytes < 0) throw new ArgumentOutOfRangeException(nameof(MaxWorkerMemoryBytes), MaxWorkerMemoryBytes, "Must not be negative.");
        if (MaxRestarts < 0) throw new ArgumentOutOfRangeException(nameof(MaxRestarts), MaxRestarts, "Must not be negative.");
        if (RestartPeriod <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(RestartPeriod), RestartPeriod, "Must be positive.");
        if (InitializerArguments is not null && Initializer is null)
        {
            throw new ArgumentException("InitializerArguments were given without an Initializer.", nameof(InitializerArguments));
        }
        if (!Enum.IsDefined(StartMethod)) throw new ArgumentOutOfRangeException(nameof(StartMethod), StartMethod, "Must be Spawn, Fork or Forkserver.");
        ArgumentNullException.ThrowIfNull(Inherited, nameof(Inherited));
        if (Inherited.Contains(null!)) throw new ArgumentException("Inherited holds a null entry.", nameof(Inherited));
        if (Inherited.Count > 0 && StartMethod == StartMethod.Spawn)
        {
            throw new ArgumentException(
                $"Inherited ({string.Join(", ", Inherited)}) is what a fork passes on; a spawned worker starts from initial values. Use StartMethod.Fork, or pass the values as arguments.",
                nameof(Inherited));
        }
        if (Spares is { } spares)
        {
            if (StartMethod != StartMethod.Forkserver) throw new ArgumentException($"Spares are the warm workers of StartMethod.Forkserver; {StartMethod} keeps none.", nameof(Spares));
            if (spares < 1) throw new ArgumentOutOfRangeException(nameof(Spares), spares, "Must be at least 1.");
        }
    }
}
