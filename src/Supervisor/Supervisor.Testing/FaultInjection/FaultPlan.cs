using Supervisor.Protocol.Startup;
using Supervisor.SharedMemory;

namespace Supervisor.Testing;

/// <summary>
/// Faults for testing code that uses a pool (its retries, timeouts, crash handling) without killer threads and
/// without touching the functions it calls: the Nth call crashes its worker, hangs or exits with a code; the Nth
/// worker start fails. <see cref="ApplyTo"/> puts the plan in a pool's options, and the pool's workers apply it to
/// every call in place of the user's code.
/// </summary>
/// <remarks>
/// Calls are numbered from 1 across every worker started with the plan, in the order they begin, and a call that
/// runs again (a retry, or a call whose result was lost with its worker) is numbered again; the forkserver's
/// warm-up call and the initializer are not counted. Starts are numbered the same way, spares and replacements
/// included. A planned crash strikes once: where a worker holds several calls whose results it had not sent yet, the
/// pool runs them again one by one to find the culprit, finds none, and no call fails; to see a crash fail a call
/// there, make the function fail on an argument instead. The counts live in shared memory: dispose the plan after
/// the pools it was applied to.
/// </remarks>
/// <example><code>
/// using var faults = new FaultPlan().CrashOnCall(3).HangOnCall(5);
/// await using var pool = await ProcessPool.StartAsync(faults.ApplyTo(new WorkerOptions { Workers = 1, Retries = 1, TaskTimeout = TimeSpan.FromSeconds(5) }));
/// var squares = await pool.MapAsync(static (int x) =&gt; x * x, Enumerable.Range(1, 10));
/// </code></example>
public sealed class FaultPlan : IDisposable
{
    private readonly SharedArray<int> _counters = new(FaultRules.CounterCount);
    private readonly List<CallFault> _calls = [];
    private readonly List<int> _failingStarts = [];

    /// <summary>How many calls have begun so far, in every worker of the plan.</summary>
    public int Calls => _counters[FaultRules.CallCounter];

    /// <summary>How many workers have started so far with the plan.</summary>
    public int Starts => _counters[FaultRules.StartCounter];

    /// <summary>Call number <paramref name="call"/> (from 1) kills its worker (SIGKILL on Unix, exit code −9): the pool sees a crash.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="call"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">The plan has a fault for this call already.</exception>
    public FaultPlan CrashOnCall(int call) => OnCall(call, CallFaultKind.Crash, 0);

    /// <summary>Call number <paramref name="call"/> (from 1) blocks forever: the pool's task timeout or a cancellation must end it.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="call"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">The plan has a fault for this call already.</exception>
    public FaultPlan HangOnCall(int call) => OnCall(call, CallFaultKind.Hang, 0);

    /// <summary>Call number <paramref name="call"/> (from 1) ends its worker with <paramref name="exitCode"/>, as <c>Environment.Exit</c> does.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="call"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">The plan has a fault for this call already.</exception>
    public FaultPlan ExitOnCall(int call, int exitCode) => OnCall(call, CallFaultKind.Exit, exitCode);

    /// <summary>
    /// Worker start number <paramref name="start"/> (from 1) fails: the worker exits before its handshake, saying so
    /// on stderr. The pool's start fails with <see cref="WorkerStartException"/>; a replacement's, with <see cref="PoolBrokenException"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="start"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">The plan fails this start already.</exception>
    public FaultPlan FailStart(int start)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(start, 1);
        if (_failingStarts.Contains(start)) throw new ArgumentException($"Start {start} already fails in this plan.", nameof(start));
        _failingStarts.Add(start);
        return this;
    }

    /// <summary>
    /// <paramref name="options"/> with this plan, as it stands now, added for their workers. Apply it to the options
    /// as the pool will have them: whether they have an initializer decides which call is the first one counted.
    /// </summary>
    /// <exception cref="ArgumentException">A fault plan was applied to <paramref name="options"/> already.</exception>
    public WorkerOptions ApplyTo(WorkerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.EnvironmentVariables.ContainsKey(FaultRules.Variable))
        {
            throw new ArgumentException("A fault plan was applied to these options already; a pool takes one plan (put every fault in it).", nameof(options));
        }
        var rules = new FaultRules(_counters.Block.Path, [.. _calls], [.. _failingStarts], FirstCallInitializes: options.Initializer is not null);
        return options with
        {
            EnvironmentVariables = new Dictionary<string, string?>(options.EnvironmentVariables) { [FaultRules.Variable] = rules.Format() },
        };
    }

    /// <summary>Removes the shared counts.</summary>
    public void Dispose() => _counters.Dispose();

    private FaultPlan OnCall(int call, CallFaultKind kind, int exitCode)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(call, 1);
        if (_calls.Any(rule => rule.Call == call)) throw new ArgumentException($"Call {call} already has a fault in this plan.", nameof(call));
        _calls.Add(new CallFault(call, kind, exitCode));
        return this;
    }
}
