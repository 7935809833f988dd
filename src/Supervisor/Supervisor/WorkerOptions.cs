using Microsoft.Extensions.Logging;
using Supervisor.Protocol;

namespace Supervisor;

/// <summary>How a group of worker processes is started, fed and ended. Every property has a documented default.</summary>
public record WorkerOptions
{
    /// <summary>How many worker processes. Default: the number of processor cores.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>How workers come to life. Default: <see cref="StartMethod.Spawn"/>.</summary>
    public StartMethod StartMethod { get; init; } = StartMethod.Spawn;

    /// <summary>
    /// With <see cref="StartMethod.Fork"/> (or <see cref="StartMethod.Forkserver"/>): the static members each worker
    /// inherits, valued as the parent holds them when that worker starts and assigned before the initializer
    /// runs, e.g. <c>[InheritedState.Of(() =&gt; Settings.Threshold)]</c>. Default: none.
    /// </summary>
    public IReadOnlyList<InheritedState> Inherited { get; init; } = [];

    /// <summary>
    /// With <see cref="StartMethod.Forkserver"/>: how many warm workers the pool keeps ready, each taken one (a
    /// replacement) started again in the background. Default: null, one spare.
    /// </summary>
    public int? Spares { get; init; }

    /// <summary>A function each worker runs once before its first task (Python's <c>initializer</c>). Default: none.</summary>
    public Function? Initializer { get; init; }

    /// <summary>The initializer's arguments (Python's <c>initargs</c>). Default: none.</summary>
    public Arguments? InitializerArguments { get; init; }

    /// <summary>
    /// The most tasks one worker holds at once. The dispatcher sizes each worker's window from measured task
    /// times, up to this. Default: 64.
    /// </summary>
    public int MaxTasksInFlightPerWorker { get; init; } = 64;

    /// <summary>The largest frame either side accepts, checked before anything is allocated for it. Default: 64 MiB.</summary>
    public int MaxFrameBytes { get; init; } = WireProtocol.DefaultMaxFrameBytes;

    /// <summary>
    /// The worker executable. Default: <c>Supervisor.WorkerHost</c> beside this library, which runs public
    /// static methods of any assembly.
    /// </summary>
    public string? WorkerExecutable { get; init; }

    /// <summary>Environment variables set for the worker processes, on top of this process's own; a null value removes one. Default: none.</summary>
    public IReadOnlyDictionary<string, string?> EnvironmentVariables { get; init; } = new Dictionary<string, string?>();

    /// <summary>
    /// Whether workers start with the .NET runtime's diagnostics (debugger attach, <c>dotnet-trace</c>,
    /// <c>dotnet-counters</c>, <c>dotnet-dump</c>), whose <c>clr-debug-pipe-*</c> and <c>dotnet-diagnostic-*</c> files a
    /// killed worker leaves behind in the temp directory. Set <c>DOTNET_EnableDiagnostics</c> in
    /// <see cref="EnvironmentVariables"/> to choose finer. Default: false, off.
    /// </summary>
    public bool RuntimeDiagnostics { get; init; }

    /// <summary>Receives each line workers write to stdout and stderr. Default: written to this process's console, prefixed with the worker's name.</summary>
    public Action<WorkerOutputLine>? Output { get; init; }

    /// <summary>Where worker starts, exits and crashes are logged. Default: nowhere.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>Hears workers start, end and be replaced, calls sent again, the pool break (for metrics and health). Default: none.</summary>
    public PoolObserver? Observer { get; init; }

    /// <summary>How long a worker has to start and say hello. Default: 30 seconds.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long closing waits for workers to finish before it kills them. Default: 10 seconds.</summary>
    public TimeSpan ShutdownGracePeriod { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How many more times a call is run when it was running as its worker died (at-least-once execution; its
    /// result is still delivered exactly once). Default: 0, the call fails with <see cref="WorkerCrashedException"/>.
    /// Only the call that was running is charged, and each call of a chunk has its own count. When that is unknown (a worker sends gathered results in runs,
    /// and a crash can take finished calls' results with it), the calls it held are run again alone, one at a time,
    /// so that a second crash names the call: a call that always crashes costs one crash more than its retries.
    /// A call past <see cref="TaskTimeout"/> is named by its worker before the kill: one that always hangs costs one
    /// or two timeouts per attempt (the first when results gathered before it arrive with its worker's answer).
    /// </summary>
    public int Retries { get; init; }

    /// <summary>
    /// How long one call may run. Past it the worker running it is killed and replaced; the call is retried or
    /// failed with <see cref="TaskTimeoutException"/> per <see cref="Retries"/>; calls queued behind it are sent
    /// again without counting an attempt. The time counts from the worker's last answer, so it is per call, not per
    /// chunk. Before the kill the worker is asked which call runs, and sends the results it gathered: when some came,
    /// the call's time starts again from them (a hang after fast calls is killed one to two timeouts after it began);
    /// either way the call that hangs is the one charged. Only a worker stuck outside a
    /// call (it does not answer within this time, at most 5 s) leaves the call unknown, to be found as a crash's is
    /// (see <see cref="Retries"/>). Default: null, no limit.
    /// </summary>
    public TimeSpan? TaskTimeout { get; init; }

    /// <summary>
    /// How long a cancelled call that already runs in a worker has to stop, through the
    /// <see cref="CancellationToken"/> parameter its method may take. Past it the worker is killed and replaced, as for
    /// <see cref="TaskTimeout"/>; the calls queued behind it are sent again without counting an attempt, and the kill
    /// is not counted against <see cref="MaxRestarts"/>. Default: 2 seconds.
    /// </summary>
    public TimeSpan CancellationGracePeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Tasks a worker runs before it is replaced by a fresh one (Python's <c>maxtasksperchild</c>). A chunk of a
    /// map counts as one task. Default: 0, no limit.
    /// </summary>
    public int MaxTasksPerWorker { get; init; }

    /// <summary>
    /// A worker whose working set grows past this many bytes is replaced between tasks, as loky does.
    /// Default: 0, no limit.
    /// </summary>
    public long MaxWorkerMemoryBytes { get; init; }

    /// <summary>
    /// Restart intensity, as Erlang/OTP's supervisor: at most this many replacements of crashed workers within
    /// <see cref="RestartPeriod"/>. Past it the pool fails with <see cref="PoolBrokenException"/> instead of
    /// crash-looping. Replacements after the first in a period wait a backoff (10 ms doubling, at most 1 s).
    /// Default: 10.
    /// </summary>
    public int MaxRestarts { get; init; } = 10;

    /// <summary>The period <see cref="MaxRestarts"/> counts over. Default: 10 seconds.</summary>
    public TimeSpan RestartPeriod { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The clock for timeouts, restart intensity and backoff; tests pass a fake one. Default: the system clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The prefix of worker names: <c>worker-1</c>, <c>worker-2</c>… Default: <c>worker</c>.</summary>
    public string NamePrefix { get; init; } = "worker";

    internal void Validate()
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
