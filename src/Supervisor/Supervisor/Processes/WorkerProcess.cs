using Supervisor.Dispatch;
using Supervisor.Encoding;
using Supervisor.Results;
using Supervisor.Supervision;

namespace Supervisor;

/// <summary>
/// One worker process that runs one call and ends, as Python's <c>multiprocessing.Process(target, args)</c>:
/// start, wait for its exit, terminate, kill; exit code, pid, name, alive. <see cref="WorkerProcess{TResult}"/> also
/// gives the target's return value.
/// </summary>
public class WorkerProcess : IAsyncDisposable
{
    private readonly Function _target;
    private readonly Arguments _arguments;
    private readonly WorkerOptions _options;
    private readonly string? _name;
    private WorkerGroup? _group;
    private SupervisedWorker? _connection;
    private Task? _call;

    /// <summary>Prepares a process that will call <paramref name="target"/> with <paramref name="arguments"/>.</summary>
    /// <param name="target">The function the process runs.</param>
    /// <param name="arguments">Its arguments. Default: none.</param>
    /// <param name="options">How the process is started and ended. Default: <see cref="WorkerOptions"/>' defaults.</param>
    /// <param name="name">The process's name (Python's <c>name=</c>), seen in its output lines and <c>WorkerContext</c>. Default: <c>worker-1</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or blank.</exception>
    public WorkerProcess(Function target, Arguments? arguments = null, WorkerOptions? options = null, string? name = null)
    {
        _target = target ?? throw new ArgumentNullException(nameof(target));
        if (name is not null) ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _arguments = arguments ?? Arguments.Of();
        _options = options ?? new WorkerOptions();
        _name = name;
    }

    /// <summary>Prepares a process that will call the method behind <paramref name="target"/> (see <see cref="Function.FromDelegate(Delegate)"/>).</summary>
    /// <exception cref="UnserializableValueException"><paramref name="target"/> captures state.</exception>
    public WorkerProcess(Delegate target, Arguments? arguments = null, WorkerOptions? options = null, string? name = null)
        : this(Function.FromDelegate(target), arguments, options, name)
    {
    }

    /// <summary>The process's name: the one given, or once started the default, e.g. <c>worker-1</c>.</summary>
    public string? Name => _name ?? _connection?.Name;

    /// <summary>The process id once started.</summary>
    public int? ProcessId => _connection?.ProcessId;

    /// <summary>Whether the process runs now.</summary>
    public bool IsAlive => _connection?.IsAlive ?? false;

    /// <summary>The exit code once the process has ended; negative when killed by a signal (−9 for SIGKILL), as in Python.</summary>
    public int? ExitCode => _connection?.ExitCode;

    /// <summary>What the target threw, once the process has ended; null if it returned.</summary>
    public Exception? Failure => _call is { IsFaulted: true } call ? call.Exception!.InnerException : null;

    /// <summary>
    /// Checks that the arguments can cross a process boundary (here, in the caller's thread), then starts the
    /// process and hands it the call and EndOfQueue.
    /// </summary>
    /// <exception cref="UnserializableValueException">An argument cannot cross; no process was started.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_group is not null) throw new InvalidOperationException("A process can be started only once.");
        var group = new WorkerGroup(_options with { Workers = 1, Retries = 0, FixedName = _name });
        var (sink, result) = NewCall();
        var call = new WorkItem(group.Functions.IdOf(_target), ArgumentEncoder.ModeOf(_arguments), 0, sink);
        group.Encoder.WriteArguments(call, _target, _arguments);
        group.Queue.Enqueue(call);
        group.Close();
        _group = group;
        _call = result;
        await group.StartAsync(cancellationToken).ConfigureAwait(false);
        _connection = group.Started[0];
    }

    /// <summary>Waits for the process to end (Python's <c>join</c>); false if <paramref name="timeout"/> passed first.</summary>
    public async Task<bool> JoinAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var group = _group ?? throw new InvalidOperationException("The process was not started.");
        var ended = group.Completion;
        if (timeout is null)
        {
            await ended.WaitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        return await Task.WhenAny(ended, Task.Delay(timeout.Value, cancellationToken)).ConfigureAwait(false) == ended;
    }

    /// <summary>Asks the process to stop: SIGTERM on Unix (exit code −15), a kill on Windows.</summary>
    public void Terminate() => _connection?.Terminate();

    /// <summary>Kills the process at once (exit code −9 on Unix).</summary>
    public void Kill() => _connection?.Kill();

    /// <summary>Where the call's answer goes: read as <see cref="object"/> here, as the result type in <see cref="WorkerProcess{TResult}"/>.</summary>
    private protected virtual (IResultSink Sink, Task Result) NewCall()
    {
        var sink = new CompletionSink<object?>();
        return (sink, sink.Task);
    }

    /// <summary>Waits for the process within the grace period, then kills it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_group is not null) await _group.DisposeAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }
}
