using Microsoft.Extensions.Logging;
using Supervisor.Dispatch;
using Supervisor.Encoding;
using Supervisor.Processes;
using Supervisor.Protocol.Serialization;
using Supervisor.StartMethods;

namespace Supervisor.Supervision;

/// <summary>
/// The engine under every pool and queue: N worker slots fed from one <see cref="WorkQueue"/>. Each slot
/// supervises its worker: a worker that dies is replaced (Erlang's one_for_one), and the tasks it held are sent
/// again up to <see cref="WorkerOptions.Retries"/> times, else failed with <see cref="WorkerCrashedException"/>.
/// </summary>
internal sealed class WorkerGroup : IAsyncDisposable
{
    private readonly WorkerOptions _options;
    private readonly WorkerFactory _factory;
    private readonly SpareWorkers? _spares;
    private readonly List<SupervisedWorker> _current = [];
    private readonly List<SupervisedWorker> _started = [];
    private readonly CancellationTokenSource _terminate = new();
    private readonly RestartIntensity _restarts;
    private readonly RecoveryPolicy _policy;
    private readonly ProcessSpawner _spawner = new();
    private readonly PoolEvents _events;
    private Task _completion = Task.CompletedTask;
    private int _starting;
    // Tasks completed by workers that ended, under the _current lock: with those of the living, the pool's progress.
    // A worker's count moves here in the same step that takes it out of _current, so the sum never drops.
    private long _completedByEnded;
    private int _backingOff;
    private volatile bool _broken;
    // Why the group stops (disposed, terminated, broken); set before _terminate is cancelled, the first reason kept.
    private Exception? _stopReason;

    /// <summary>Prepares a group; nothing starts until <see cref="StartAsync"/>, so calls can be checked and queued first.</summary>
    /// <param name="options">The pool's options, checked here.</param>
    /// <param name="queueCapacity">Most tasks waiting at once (Python's <c>maxsize</c>); 0 for no bound.</param>
    public WorkerGroup(WorkerOptions options, int queueCapacity = 0)
    {
        options.Validate();
        _options = options;
        _events = new PoolEvents(options.Observer, options.Logger, options.TimeProvider);
        Queue = new WorkQueue(queueCapacity, _events);
        Encoder = new ArgumentEncoder(new SerializabilityChecker(WireSerializer.Options));
        _factory = new WorkerFactory(options, WorkerExecutable.Resolve(options.WorkerExecutable), _spawner, Functions, Encoder, Launched);
        if (options.StartMethod == StartMethod.Forkserver) _spares = new SpareWorkers(_factory, options.Spares ?? 1);
        _restarts = new RestartIntensity(options.MaxRestarts, options.RestartPeriod, options.TimeProvider);
        _policy = new RecoveryPolicy(options.Retries);
    }

    public WorkQueue Queue { get; }

    public FunctionRegistry Functions { get; } = new();

    public ArgumentEncoder Encoder { get; }

    /// <summary>Completes when every worker has ended after the queue was completed and drained.</summary>
    public Task Completion => _completion;

    /// <summary>The workers now running, one per slot.</summary>
    public IReadOnlyList<SupervisedWorker> Workers
    {
        get { lock (_current) return [.. _current]; }
    }

    /// <summary>What the workers do and how much work the group holds, now.</summary>
    public PoolState State
    {
        get
        {
            int alive = 0, busy = 0, calls = 0;
            foreach (var worker in Workers)
            {
                if (!worker.IsAlive) continue;
                alive++;
                var held = worker.CallsHeld;
                if (held > 0) busy++;
                calls += held;
            }
            return new PoolState
            {
                WorkersAlive = alive,
                WorkersBusy = busy,
                WorkersStarting = Volatile.Read(ref _starting),
                WorkersBackingOff = Volatile.Read(ref _backingOff),
                IsBroken = _broken,
                QueueDepth = Queue.Count,
                CallsInFlight = calls,
            };
        }
    }

    /// <summary>Every worker this group started, replacements and ended ones included.</summary>
    public IReadOnlyList<SupervisedWorker> Started
    {
        get { lock (_current) return [.. _started]; }
    }

    /// <summary>Every process id this group started.</summary>
    public IReadOnlyList<int> StartedProcessIds => [.. Started.Select(c => c.ProcessId)];

    /// <summary>How many frames went through shared memory with every worker this group started, both ways.</summary>
    public long SharedMemoryFrames => Started.Sum(w => w.SharedMemoryFrames);

    /// <summary>How many of the workers this group started the supervisor still shares memory with.</summary>
    public int SharedMemoryRegions => Started.Count(w => w.MapsSharedMemory);

    /// <summary>Starts the workers, runs the initializer in each, and begins feeding them.</summary>
    /// <exception cref="WorkerStartException">A worker could not start; the others are ended.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // The first workers start fresh, even with spares: these would only start at the same time, on the same cores.
        var starts = Enumerable.Range(0, _options.Workers).Select(_ => StartWorkerAsync(_factory.StartAsync, cancellationToken)).ToList();
        try
        {
            await Task.WhenAll(starts).ConfigureAwait(false);
        }
        catch
        {
            foreach (var start in starts.Where(s => s.IsCompletedSuccessfully)) await RetireAsync(start.Result).ConfigureAwait(false);
            _spawner.Dispose();
            throw;
        }
        _spares?.Fill();
        _completion = Task.WhenAll(starts.Select(s => SuperviseAsync(s.Result)));
    }

    /// <summary>No new tasks; each worker gets EndOfQueue once the queue is drained.</summary>
    public void Close() => Queue.Complete();

    /// <summary>
    /// The caller cancelled <paramref name="item"/>: it leaves the queue if it waits there, else the worker holding it
    /// is told. One on its way between the two is caught where it lands, by its mark (a sender, or a recovering slot).
    /// </summary>
    public void Cancel(WorkItem item)
    {
        item.MarkCancelled();
        if (Queue.TryRemove(item))
        {
            item.Release();
            return;
        }
        foreach (var worker in Workers)
        {
            if (worker.TryCancel(item)) return;
        }
    }

    /// <summary>Ends every worker now; tasks not finished fail with <paramref name="reason"/>.</summary>
    public async Task TerminateAsync(Exception reason)
    {
        Stop(reason);
        foreach (var item in Queue.DrainAll()) item.FailRemaining(reason);
        foreach (var worker in Workers) worker.Kill();
        await _completion.ConfigureAwait(false);
    }

    /// <summary>
    /// Closes, then waits for the workers to drain the queue within the grace period; then asks those left to stop
    /// (SIGTERM), and kills what is still there a moment later.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        Close();
        if (!await EndsWithinAsync(_options.ShutdownGracePeriod).ConfigureAwait(false))
        {
            // From here on a worker that ends is not replaced and what it held fails.
            var disposed = new ObjectDisposedException(nameof(WorkerGroup), "The pool was disposed before this call finished.");
            Stop(disposed);
            foreach (var worker in Workers) worker.Terminate();
            if (!await EndsWithinAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false)) await TerminateAsync(disposed).ConfigureAwait(false);
            await _completion.ConfigureAwait(false);
            // Workers that ended on the SIGTERM leave what still waits in the queue: it fails too, nothing is left pending.
            foreach (var item in Queue.DrainAll(disposed)) item.FailRemaining(disposed);
        }
        await _completion.ConfigureAwait(false);
        if (_spares is not null) await _spares.DisposeAsync().ConfigureAwait(false);
        _spawner.Dispose();
        _terminate.Dispose();
        Queue.Dispose();
    }

    // From here on no worker is replaced, and what an ended worker held fails with the first reason given.
    private void Stop(Exception reason)
    {
        Interlocked.CompareExchange(ref _stopReason, reason, null);
        _terminate.Cancel();
    }

    private async Task<bool> EndsWithinAsync(TimeSpan period)
    {
        using var timer = new CancellationTokenSource(period, _options.TimeProvider);
        var deadline = Task.Delay(Timeout.InfiniteTimeSpan, timer.Token);
        return await Task.WhenAny(_completion, deadline).ConfigureAwait(false) == _completion;
    }

    private async Task<SupervisedWorker> StartWorkerAsync(Func<CancellationToken, Task<SupervisedWorker>> start, CancellationToken cancellationToken)
    {
        SupervisedWorker worker;
        Interlocked.Increment(ref _starting);
        try
        {
            worker = await start(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _starting);
        }
        lock (_current) _current.Add(worker);
        _options.Logger?.LogDebug("Started {Worker} (pid {Pid})", worker.Name, worker.ProcessId);
        _events.WorkerStarted(worker);
        return worker;
    }

    // Every process is counted as it starts, spares included, so none can be left behind unseen.
    private void Launched(SupervisedWorker connection)
    {
        lock (_current) _started.Add(connection);
    }

    private async Task SuperviseAsync(SupervisedWorker worker)
    {
        while (true)
        {
            var completedAtStart = CompletedTasks() - worker.TasksCompleted;
            var exit = await worker.RunAsync(Queue, Functions).ConfigureAwait(false);
            await RetireAsync(worker).ConfigureAwait(false);
            if (!await RecoverAsync(worker, exit, completedAtStart).ConfigureAwait(false)) return;
            if (_terminate.IsCancellationRequested || (Queue.IsCompleted && Queue.Count == 0)) return;
            var exited = worker;
            try
            {
                worker = await StartWorkerAsync(_spares is null ? _factory.StartAsync : _spares.TakeAsync, _terminate.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (WorkerStartException e)
            {
                // A replacement that cannot start would only crash-loop: the pool stops here, with its stderr.
                Break(new PoolBrokenException($"A replacement for {exited.Name} could not start: {e.Message}", e));
                return;
            }
            _events.WorkerReplaced(exited, worker);
        }
    }

    /// <summary>Carries out what <see cref="RecoveryPolicy"/> decides for an ended worker; false when its slot ends.</summary>
    /// <param name="worker">The worker that ended.</param>
    /// <param name="exit">How it ended.</param>
    /// <param name="completedAtStart">The pool's completed tasks when it started: whether the pool progressed while it lived.</param>
    private async Task<bool> RecoverAsync(SupervisedWorker worker, WorkerExit exit, long completedAtStart)
    {
        RecoveryDecision decision;
        Exception? stopReason;
        // One decision at a time: two slots whose workers die together must not both take the last restart.
        lock (_policy)
        {
            stopReason = Volatile.Read(ref _stopReason);
            var completed = CompletedTasks();
            decision = _policy.Decide(exit, stopReason is not null, _restarts.Peek(exit.MadeProgress, completedAtStart, completed));
            // Every crash that is replaced, counted or not, sets the backoff of the next and where its progress is measured from.
            if (decision.Worker == WorkerFate.Replace && exit.Reason is not (WorkerExitReason.Recycled or WorkerExitReason.CancelIgnored))
                _restarts.Record(exit.MadeProgress, decision.CountsAsCrash, completed);
        }
        _events.WorkerExited(worker, exit.Reason);
        if (exit.Reason == WorkerExitReason.Finished) return false;
        if (exit.Reason != WorkerExitReason.Recycled)
        {
            _options.Logger?.LogWarning("{Worker} (pid {Pid}) ended with code {ExitCode}{Reason}",
                worker.Name, worker.ProcessId, worker.ExitCode, exit.Reason switch
                {
                    WorkerExitReason.CancelIgnored => " after a cancelled task did not stop",
                    WorkerExitReason.TimedOut => " after its task timed out",
                    WorkerExitReason.BrokeProtocol => $": {exit.ProtocolError!.Message}",
                    _ => "",
                });
        }
        // A pool that is stopping fails what the worker held with the reason it stops for (disposed, terminated, broken).
        var reason = stopReason ?? (exit.Reason == WorkerExitReason.TimedOut
            ? new TaskTimeoutException(worker.Name, worker.ProcessId, _options.TaskTimeout!.Value)
            : new WorkerCrashedException(worker.Name, worker.ProcessId, worker.ExitCode, worker.LastErrorLines, exit.ProtocolError?.Message));
        foreach (var (item, fate) in decision.Tasks)
        {
            var calls = item.Remaining;
            if (Apply(item, fate, reason)) _events.CallRetried(worker, calls, fate == TaskFate.Retry, item.Attempts);
        }
        switch (decision.Worker)
        {
            case WorkerFate.Break:
                Break(new PoolBrokenException(
                    $"Workers crashed more than {_options.MaxRestarts} times within {_options.RestartPeriod.TotalSeconds:0.#} s; the last: {reason.Message}", reason));
                return false;
            case WorkerFate.Retire:
                return false;
        }
        if (decision.Backoff > TimeSpan.Zero)
        {
            Interlocked.Increment(ref _backingOff);
            try
            {
                await Task.Delay(decision.Backoff, _options.TimeProvider).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _backingOff);
            }
        }
        return true;
    }

    // Carries out one task's fate; true when the task went back to the queue (a retry).
    private bool Apply(WorkItem item, TaskFate fate, Exception reason)
    {
        switch (fate)
        {
            case TaskFate.Requeue or TaskFate.RequeueAsSuspect:
                item.GiveBack(suspect: fate == TaskFate.RequeueAsSuspect);
                return Requeue(item, reason);
            case TaskFate.Retry:
                item.Charge();
                return Requeue(item, reason);
            case TaskFate.FailCall:
                // The rest of its chunk never ran, and goes on as a new task.
                item.FailNextCall(reason);
                if (item.Remaining > 0) return Requeue(item, reason);
                item.Release();
                return false;
            case TaskFate.Fail:
                item.FailRemaining(reason);
                return false;
            default:
                item.Release();
                return false;
        }
    }

    // False when the queue was drained meanwhile (the pool broke): the task then fails with the worker's end.
    private bool Requeue(WorkItem item, Exception reason)
    {
        if (Queue.Requeue(item)) return true;
        item.FailRemaining(reason);
        return false;
    }

    /// <summary>Fails every waiting task and every later submission with <paramref name="reason"/>, and ends the other workers.</summary>
    private void Break(PoolBrokenException reason)
    {
        _broken = true;
        _options.Logger?.LogError(reason, "The pool is broken");
        _events.PoolBroken(reason);
        Stop(reason);
        foreach (var item in Queue.DrainAll(reason)) item.FailRemaining(reason);
        foreach (var worker in Workers) worker.Kill();
    }

    // The pool's progress: tasks completed by the workers that ended and by the living.
    private long CompletedTasks()
    {
        lock (_current) return _completedByEnded + _current.Sum(w => (long)w.TasksCompleted);
    }

    private async Task RetireAsync(SupervisedWorker connection)
    {
        // Its receiver has ended, so its count is final: it moves to the ended ones as the worker leaves the living.
        lock (_current)
        {
            if (_current.Remove(connection)) _completedByEnded += connection.TasksCompleted;
        }
        await connection.DisposeAsync().ConfigureAwait(false);
    }
}
