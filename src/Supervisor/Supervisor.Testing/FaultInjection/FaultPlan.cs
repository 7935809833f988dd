using Supervisor.SharedMemory;

namespace Supervisor.Testing;

/// <summary>
/// Faults for testing code that uses a pool (its retries, timeouts, crash handling) without killer threads: the
/// Nth call crashes its worker, hangs, exits with a code or throws; the Nth worker start fails. Calls are struck
/// where the function under test calls <see cref="FaultPoint.Hit"/> on the plan's <see cref="Point"/>, which it
/// takes as a parameter (<see cref="Bind"/> fills it); starts fail through the initializer <see cref="ApplyTo"/> sets.
/// </summary>
/// <example><code>
/// using var faults = new FaultPlan().CrashOnCall(3).HangOnCall(5);
/// var square = faults.Bind(Function.FromDelegate(static (int x, FaultPoint faults) =&gt; { faults.Hit(); return x * x; }));
/// await using var pool = await ProcessPool.StartAsync(new WorkerOptions { Workers = 2, Retries = 1, TaskTimeout = TimeSpan.FromSeconds(2) });
/// var nine = await pool.SubmitAsync&lt;int&gt;(square, Arguments.Of(3));
/// </code></example>
/// <remarks>The counts live in shared memory: dispose the plan after the processes using it are done.</remarks>
public sealed class FaultPlan : IDisposable
{
    private readonly SharedArray<int> _counters = new(2);
    private readonly List<(int Call, FaultKind Kind, int ExitCode)> _calls = [];
    private readonly List<int> _failingStarts = [];

    /// <summary>How many calls have reached <see cref="FaultPoint.Hit"/> so far, in every process.</summary>
    public int Calls => _counters[FaultPoint.CallCounter];

    /// <summary>How many worker starts have run the plan's initializer so far.</summary>
    public int Starts => _counters[FaultPoint.StartCounter];

    /// <summary>The plan as a function under test takes it: pass it as the argument of a <see cref="FaultPoint"/> parameter.</summary>
    public FaultPoint Point => new()
    {
        Counters = _counters,
        Calls = [.. _calls.Select(rule => rule.Call)],
        Kinds = [.. _calls.Select(rule => rule.Kind)],
        ExitCodes = [.. _calls.Select(rule => rule.ExitCode)],
        FailingStarts = [.. _failingStarts],
    };

    /// <summary>Call number <paramref name="call"/> (from 1) kills its own process (SIGKILL on Unix): its pool sees a crash.</summary>
    public FaultPlan CrashOnCall(int call) => OnCall(call, FaultKind.Crash, 0);

    /// <summary>Call number <paramref name="call"/> (from 1) blocks forever: its pool's task timeout or a cancellation must end it.</summary>
    public FaultPlan HangOnCall(int call) => OnCall(call, FaultKind.Hang, 0);

    /// <summary>Call number <paramref name="call"/> (from 1) ends its process with <paramref name="exitCode"/>.</summary>
    public FaultPlan ExitOnCall(int call, int exitCode) => OnCall(call, FaultKind.Exit, exitCode);

    /// <summary>Call number <paramref name="call"/> (from 1) throws <see cref="InjectedFaultException"/>.</summary>
    public FaultPlan ThrowOnCall(int call) => OnCall(call, FaultKind.Throw, 0);

    /// <summary>
    /// Worker start number <paramref name="start"/> (from 1, spares and replacements included) fails: its
    /// initializer throws, and the pool sees a <see cref="WorkerStartException"/>. Needs <see cref="ApplyTo"/>.
    /// </summary>
    public FaultPlan FailStart(int start)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(start, 1);
        if (_failingStarts.Contains(start)) throw new ArgumentException($"Start {start} already fails in this plan.", nameof(start));
        _failingStarts.Add(start);
        return this;
    }

    /// <summary>
    /// <paramref name="function"/> with its one <see cref="FaultPoint"/> parameter bound to this plan, so that code
    /// under test calls it with its other arguments only.
    /// </summary>
    /// <exception cref="ArgumentException">The function has no <see cref="FaultPoint"/> parameter, or more than one.</exception>
    public Function Bind(Function function)
    {
        ArgumentNullException.ThrowIfNull(function);
        var points = function.Parameters.Where(p => p.ParameterType == typeof(FaultPoint)).ToList();
        if (points.Count != 1)
        {
            throw new ArgumentException(
                $"{function.Name} has {points.Count} parameters of type {nameof(FaultPoint)}; it needs exactly one, where the plan goes.", nameof(function));
        }
        return function.Bind(points[0].Name!, Point);
    }

    /// <summary>
    /// <paramref name="options"/> with an initializer that counts each worker start and fails those
    /// <see cref="FailStart"/> named.
    /// </summary>
    /// <exception cref="ArgumentException">The options have an initializer already: the plan's cannot run it too.</exception>
    public WorkerOptions ApplyTo(WorkerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Initializer is not null)
        {
            throw new ArgumentException(
                $"The options' initializer {options.Initializer.Name} would be replaced by the fault plan's; call FaultPoint.Start() from your initializer instead (pass it Point).",
                nameof(options));
        }
        return options with
        {
            Initializer = Function.FromDelegate(static (FaultPoint point) => point.Start()),
            InitializerArguments = Arguments.Of(Point),
        };
    }

    /// <summary>Removes the shared counts.</summary>
    public void Dispose() => _counters.Dispose();

    private FaultPlan OnCall(int call, FaultKind kind, int exitCode)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(call, 1);
        if (_calls.Any(rule => rule.Call == call)) throw new ArgumentException($"Call {call} already has a fault in this plan.", nameof(call));
        _calls.Add((call, kind, exitCode));
        return this;
    }
}
