using Microsoft.Extensions.Logging;
using Supervisor.Protocol.Serialization;
using Supervisor.StartMethods;
using Supervisor.Transport;

namespace Supervisor.Dispatch;

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
    private readonly List<WorkerConnection> _current = [];
    private readonly List<WorkerConnection> _started = [];
    private readonly CancellationTokenSource _terminate = new();
    private readonly RestartIntensity _restarts;
    private readonly ProcessSpawner _spawner = new();
    private Task _completion = Task.CompletedTask;

    /// <summary>Prepares a group; nothing starts until <see cref="StartAsync"/>, so calls can be checked and queued first.</summary>
    public WorkerGroup(WorkerOptions options, WorkQueue queue)
    {
        options.Validate();
        _options = options;
        Queue = queue;
        Encoder = new ArgumentEncoder(new SerializabilityChecker(WireSerializer.Options));
        _factory = new WorkerFactory(options, WorkerExecutable.Resolve(options.WorkerExecutable), _spawner, Functions, Encoder, Launched);
        if (options.StartMethod == StartMethod.Forkserver) _spares = new SpareWorkers(_factory, options.Spares ?? 1);
        _restarts = new RestartIntensity(options.MaxRestarts, options.RestartPeriod, options.TimeProvider);
    }

    public WorkQueue Queue { get; }

    public FunctionRegistry Functions { get; } = new();

    public ArgumentEncoder Encoder { get; }

    /// <summary>Completes when every worker has ended after the queue was completed and drained.</summary>
    public Task Completion => _completion;

    /// <summary>The workers now running, one per slot.</summary>
    public IReadOnlyList<WorkerConnection> Workers
    {
        get { lock (_current) return [.. _current]; }
    }

    /// <summary>Every worker this group started, replacements and ended ones included.</summary>
    public IReadOnlyList<WorkerConnection> Started
    {
        get { lock (_current) return [.. _started]; }
    }

    /// <summary>Every process id this group started.</summary>
    public IReadOnlyList<int> StartedProcessIds => [.. Started.Select(c => c.ProcessId)];

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
        _terminate.Cancel();
        foreach (var item in Queue.DrainAll()) Fail(item, reason);
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
            await _terminate.CancelAsync().ConfigureAwait(false);
            foreach (var worker in Workers) worker.Terminate();
            if (!await EndsWithinAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false))
            {
                await TerminateAsync(new ObjectDisposedException(nameof(WorkerGroup), "The pool was disposed before this call finished.")).ConfigureAwait(false);
            }
        }
        await _completion.ConfigureAwait(false);
        if (_spares is not null) await _spares.DisposeAsync().ConfigureAwait(false);
        _spawner.Dispose();
        _terminate.Dispose();
        Queue.Dispose();
    }

    private async Task<bool> EndsWithinAsync(TimeSpan period)
    {
        using var timer = new CancellationTokenSource(period, _options.TimeProvider);
        var deadline = Task.Delay(Timeout.InfiniteTimeSpan, timer.Token);
        return await Task.WhenAny(_completion, deadline).ConfigureAwait(false) == _completion;
    }

    private async Task<WorkerConnection> StartWorkerAsync(Func<CancellationToken, Task<WorkerConnection>> start, CancellationToken cancellationToken)
    {
        var connection = await start(cancellationToken).ConfigureAwait(false);
        lock (_current) _current.Add(connection);
        _options.Logger?.LogDebug("Started {Worker} (pid {Pid})", connection.Name, connection.ProcessId);
        return connection;
    }

    // Every process is counted as it starts, spares included, so none can be left behind unseen.
    private void Launched(WorkerConnection connection)
    {
        lock (_current) _started.Add(connection);
    }

    private async Task SuperviseAsync(WorkerConnection connection)
    {
        while (true)
        {
            var exit = await connection.RunAsync(Queue, Functions).ConfigureAwait(false);
            await RetireAsync(connection).ConfigureAwait(false);
            if (exit.Clean && !exit.Recycled) return;
            if (!exit.Clean && !await RecoverAsync(exit).ConfigureAwait(false)) return;
            if (_terminate.IsCancellationRequested || (Queue.IsCompleted && Queue.Count == 0)) return;
            try
            {
                connection = await StartWorkerAsync(_spares is null ? _factory.StartAsync : _spares.TakeAsync, _terminate.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (WorkerStartException e)
            {
                // A replacement that cannot start would only crash-loop: the pool stops here, with its stderr.
                Break(new PoolBrokenException($"A replacement for {exit.Connection.Name} could not start: {e.Message}", e));
                return;
            }
        }
    }

    /// <summary>
    /// Puts the tasks of a dead worker right. When it is known which call was running, that call is retried or
    /// failed (it may be the cause) and the rest go back without losing an attempt. When it is not (results the
    /// worker gathered may have died with it), no call is blamed: every task it held goes back as a
    /// <see cref="WorkItem.Suspect"/>, to run alone and report each call, so that a second crash names its call.
    /// Then counts the restart; false when the pool must stop.
    /// </summary>
    private async Task<bool> RecoverAsync(WorkerExit exit)
    {
        var worker = exit.Connection;
        _options.Logger?.LogWarning("{Worker} (pid {Pid}) ended with code {ExitCode}{Reason}",
            worker.Name, worker.ProcessId, worker.ExitCode, exit.KilledForCancel ? " after a cancelled task did not stop"
            : exit.TimedOut ? " after its task timed out" : exit.ProtocolError is null ? "" : $": {exit.ProtocolError}");
        Exception reason = exit.TimedOut
            ? new TaskTimeoutException(worker.Name, worker.ProcessId, _options.TaskTimeout!.Value)
            : new WorkerCrashedException(worker.Name, worker.ProcessId, worker.ExitCode, worker.LastErrorLines, exit.ProtocolError);
        var stopping = _terminate.IsCancellationRequested;
        // A kill for a cancelled task was ours: nobody is to blame, and the cancelled task is simply dropped.
        var suspect = !exit.CauseKnown && !exit.KilledForCancel;
        foreach (var item in exit.Waiting) GiveBack(item, suspect, stopping, reason);
        // The running task goes after the others: a replacement's first call is its slowest (loading, JIT), and a
        // kill from outside during it should not keep landing on the same task.
        if (exit.Running is { } running)
        {
            if (suspect || running.IsCancelled)
            {
                GiveBack(running, suspect, stopping, reason);
            }
            else
            {
                // Retries count per call: the first charge for a later call of a chunk starts that call's count.
                if (running.ChargedCall != running.Delivered)
                {
                    running.ChargedCall = running.Delivered;
                    running.Attempts = 1;
                }
                if (running.Attempts > _options.Retries || stopping || !Queue.Requeue(running)) FailRunningCall(running, reason, stopping);
            }
        }
        if (stopping) return false;
        // The caller asked for that kill: it is no crash, and must not bring the pool nearer to breaking.
        if (exit.KilledForCancel) return true;
        if (!_restarts.TryRecord(exit.MadeProgress, out var backoff))
        {
            Break(new PoolBrokenException(
                $"Workers crashed more than {_options.MaxRestarts} times within {_options.RestartPeriod.TotalSeconds:0.#} s; the last: {reason.Message}", reason));
            return false;
        }
        if (backoff > TimeSpan.Zero) await Task.Delay(backoff, _options.TimeProvider).ConfigureAwait(false);
        return true;
    }

    /// <summary>Fails every waiting task and every later submission with <paramref name="reason"/>, and ends the other workers.</summary>
    private void Break(PoolBrokenException reason)
    {
        _options.Logger?.LogError(reason, "The pool is broken");
        _terminate.Cancel();
        foreach (var item in Queue.DrainAll(reason)) Fail(item, reason);
        foreach (var worker in Workers) worker.Kill();
    }

    private async Task RetireAsync(WorkerConnection connection)
    {
        lock (_current) _current.Remove(connection);
        await connection.DisposeAsync().ConfigureAwait(false);
    }

    // A task that was not to blame goes back without losing an attempt (or fails with the pool, or is dropped if cancelled).
    private void GiveBack(WorkItem item, bool suspect, bool stopping, Exception reason)
    {
        item.Attempts--;
        item.Suspect |= suspect;
        if (item.IsCancelled) item.Release();
        else if (stopping || !Queue.Requeue(item)) Fail(item, reason);
    }

    // Out of attempts: the call that was running fails; the rest of its chunk never ran, and goes on as a new task.
    private void FailRunningCall(WorkItem running, Exception reason, bool stopping)
    {
        running.Sink.OnFailure(running.FirstIndex + running.Delivered, reason);
        running.Delivered++;
        running.Suspect = false;
        if (running.Remaining == 0 || stopping || !Queue.Requeue(running)) Fail(running, reason);
    }

    private static void Fail(WorkItem item, Exception reason)
    {
        for (; item.Delivered < item.Count; item.Delivered++) item.Sink.OnFailure(item.FirstIndex + item.Delivered, reason);
        item.Release();
    }
}
