using Supervisor.Dispatch;
using Supervisor.Processes;
using Supervisor.Protocol.Framing;
using Supervisor.Protocol.Messages;
using Supervisor.Transport;

namespace Supervisor.Supervision;

/// <summary>
/// One worker as its slot sees it: its <see cref="ProcessHandle"/>, its <see cref="WorkerConnection"/>, the
/// <see cref="InFlightLedger"/> of what it holds, its <see cref="CreditWindow"/>, its <see cref="TaskTimeoutWatchdog"/>
/// and the <see cref="CancellationGrace"/> of its cancelled tasks. It feeds the worker from the shared queue while the
/// window has room, writing what it takes in one go, and says at the end how the worker ended and what it held.
/// </summary>
internal sealed class SupervisedWorker : IAsyncDisposable
{
    private readonly WorkerOptions _options;
    private readonly TimeProvider _clock;
    private readonly InFlightLedger _ledger;
    private readonly CreditWindow _window;
    private readonly WorkerConnection _connection;
    private readonly CancellationGrace _grace;
    private readonly CancellationTokenSource _stopSending = new();
    private ProcessHandle? _process;
    private Task _receiving = Task.CompletedTask;
    private bool _endOfQueueSent;
    private int _tasksSent;
    private bool _recycled;
    private long _memoryCheckedAt;
    // Tasks completed before the first from the queue (inherited state, warm-up, initializer): not the work it is judged by.
    private int _startupTasks;

    private SupervisedWorker(int id, string name, WorkerOptions options)
    {
        Id = id;
        Name = name;
        _options = options;
        _clock = options.TimeProvider;
        _ledger = new InFlightLedger(name, _clock);
        _window = new CreditWindow(options.MaxTasksInFlightPerWorker);
        _connection = new WorkerConnection(id, name, options.MaxFrameBytes, options.SharedMemoryPayloads, _ledger, _window);
        _grace = new CancellationGrace(_ledger, options.CancellationGracePeriod, _clock, Kill);
    }

    public int Id { get; }

    public string Name { get; }

    public int ProcessId => _process?.ProcessId ?? 0;

    /// <summary>The exit code once the process has ended (negative: killed by that signal).</summary>
    public int? ExitCode => _process?.ExitCode;

    public bool IsAlive => _process is { IsAlive: true };

    /// <summary>How many tasks from the queue the worker completed.</summary>
    public int TasksCompleted => _ledger.TasksCompleted - _startupTasks;

    /// <summary>How many calls the worker holds without an answer.</summary>
    public int CallsHeld => _ledger.CallsHeld;

    /// <summary>How many frames went through shared memory with this worker, both ways.</summary>
    public long SharedMemoryFrames => _connection.SharedMemoryFrames;

    /// <summary>Whether the supervisor still maps the memory it shares with this worker.</summary>
    public bool MapsSharedMemory => _connection.MapsSharedMemory;

    /// <summary>The last lines the worker wrote to stderr.</summary>
    public IReadOnlyList<string> LastErrorLines => _process?.LastErrorLines ?? [];

    /// <summary>Completes when the worker's pipe has ended: it exited, crashed or was cut off.</summary>
    public Task Ended => _receiving;

    /// <summary>
    /// Waits for the process to exit and for its last output lines to be read: the pipe ends before stderr is
    /// drained, so <see cref="LastErrorLines"/> is complete only after this.
    /// </summary>
    public Task ExitedAsync() => _process?.WaitForExitAsync() ?? Task.CompletedTask;

    /// <summary>Starts the worker process, tells <paramref name="launched"/> at once, and waits for its handshake.</summary>
    /// <exception cref="WorkerStartException">The process did not start, or ended or stayed silent before its handshake.</exception>
    public static async Task<SupervisedWorker> StartAsync(int id, WorkerOptions options, WorkerExecutable executable, ProcessSpawner spawner,
        Action<SupervisedWorker> launched, CancellationToken cancellationToken)
    {
        var name = options.NameOf(id);
        var worker = await spawner.RunAsync(() =>
        {
            lock (ProcessStartGate.Lock)
            {
                var started = new SupervisedWorker(id, name, options);
                started.Launch(executable);
                return started;
            }
        }).ConfigureAwait(false);
        launched(worker);
        worker._receiving = worker._connection.Receiver.ReceiveAsync(worker.ProcessId, worker.OnReceiverEnded);
        try
        {
            await worker.AwaitHelloAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await worker.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return worker;
    }

    /// <summary>
    /// Feeds the worker from <paramref name="queue"/> until the queue is completed and empty (then sends
    /// EndOfQueue) or the worker dies, then waits for the process to end.
    /// </summary>
    /// <returns>How it ended, and the tasks it held then.</returns>
    public async Task<WorkerExit> RunAsync(WorkQueue queue, FunctionRegistry registry)
    {
        _startupTasks = _ledger.TasksCompleted;
        var watchdog = _options.TaskTimeout is { } timeout
            ? new TaskTimeoutWatchdog(_ledger, timeout, _clock, () => _ = _connection.Sender.SendProbeAsync(), Kill)
            : null;
        var watching = watchdog?.WatchAsync(_stopSending.Token) ?? Task.CompletedTask;
        try
        {
            await SendAsync(queue, registry, _stopSending.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The worker is gone; the receiver saw it first or will in a moment.
        }
        await _receiving.ConfigureAwait(false);
        await watching.ConfigureAwait(false);
        await _process!.WaitForExitAsync().ConfigureAwait(false);
        var closed = _ledger.Close();
        var held = closed with { TasksCompleted = closed.TasksCompleted - _startupTasks };
        var protocolError = _connection.Receiver.ProtocolError;
        var reason = _grace.Killed ? WorkerExitReason.CancelIgnored
            : watchdog is { TimedOut: true } ? WorkerExitReason.TimedOut
            : protocolError is not null ? WorkerExitReason.BrokeProtocol
            : !_endOfQueueSent || ExitCode != 0 || held.Running is not null ? WorkerExitReason.Crashed
            : _recycled ? WorkerExitReason.Recycled
            : WorkerExitReason.Finished;
        return new WorkerExit(reason, held, watchdog?.KilledCall, protocolError);
    }

    /// <summary>Sends one task straight to this worker and flushes, outside the shared queue (the initializer).</summary>
    public async Task SendDirectAsync(WorkItem item, FunctionRegistry registry, CancellationToken cancellationToken)
    {
        _window.Take(item.Remaining);
        Encode(item, registry);
        await _connection.Sender.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends the parent's inherited state straight to this worker, before any task (start method fork); the worker
    /// answers it as a call, into <paramref name="item"/>'s sink.
    /// </summary>
    public async Task SendInheritedAsync(IReadOnlyList<InheritedValue> values, WorkItem item, CancellationToken cancellationToken)
    {
        item.AddCalls(1);
        _window.Take(item.Remaining);
        var taskId = _ledger.NextTaskId();
        _connection.Sender.AddInherit(taskId, values);
        _ledger.Add(taskId, item);
        await _connection.Sender.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The caller cancelled <paramref name="item"/>. If this worker holds it, the worker is told, and killed if the
    /// task is still running after <see cref="WorkerOptions.CancellationGracePeriod"/>.
    /// </summary>
    /// <returns>Whether this worker holds the task.</returns>
    public bool TryCancel(WorkItem item)
    {
        var taskId = _ledger.Find(item);
        if (taskId == 0) return false;
        if (_grace.TryStart(taskId)) _ = _connection.Sender.SendCancelAsync(taskId);
        return true;
    }

    /// <summary>Asks the process to stop (SIGTERM on Unix).</summary>
    public void Terminate() => _process?.Terminate();

    /// <summary>Kills the process at once.</summary>
    public void Kill() => _process?.Kill();

    public async ValueTask DisposeAsync()
    {
        Kill();
        _stopSending.Cancel();
        if (_process is not null) await _process.WaitForExitAsync().ConfigureAwait(false);
        await _receiving.ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
        _grace.Dispose();
        _stopSending.Dispose();
        _process?.Dispose();
    }

    private void Launch(WorkerExecutable executable)
    {
        try
        {
            _process = ProcessHandle.Start(Name, executable, _connection.WorkerArguments(Id, Name, _options.MaxFrameBytes), _options);
        }
        finally
        {
            _connection.ReleaseWorkerEnds();
        }
    }

    // On the receiver's thread, once the pipe has ended: a worker that broke the protocol is cut off, and nothing more is sent.
    private void OnReceiverEnded()
    {
        if (_connection.Receiver.ProtocolError is not null) Kill();
        _stopSending.Cancel();
    }

    private async Task AwaitHelloAsync(CancellationToken cancellationToken)
    {
        var process = _process!;
        var greeted = _connection.Receiver.Greeted;
        try
        {
            // The receiver ends without a handshake when the worker exits or breaks the protocol first.
            await Task.WhenAny(greeted, _receiving).WaitAsync(_options.StartTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Kill();
            await process.WaitForExitAsync().ConfigureAwait(false);
            throw new WorkerStartException($"{Name} (pid {ProcessId}) did not complete its handshake within {_options.StartTimeout.TotalSeconds:0.#} s.{process.StderrSuffix()}");
        }
        if (greeted.IsCompleted) return;
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (_connection.Receiver.ProtocolError is { } error)
        {
            throw new WorkerStartException($"{Name} (pid {ProcessId}) broke the protocol during its handshake: {error.Message}{process.StderrSuffix()}", error);
        }
        throw new WorkerStartException($"{Name} (pid {ProcessId}) exited with code {ExitCode} before its handshake.{process.StderrSuffix()}");
    }

    private async Task SendAsync(WorkQueue queue, FunctionRegistry registry, CancellationToken cancellationToken)
    {
        var sender = _connection.Sender;
        // The calls the next task needs room for: one, or a chunk that did not fit last time.
        var needed = 1;
        while (true)
        {
            if (DueForRecycling())
            {
                _recycled = true;
                break;
            }
            await _window.WaitForRoomAsync(needed, cancellationToken).ConfigureAwait(false);
            if (!await queue.WaitToReadAsync(cancellationToken).ConfigureAwait(false)) break;
            await _window.WaitWhileBusyAsync(cancellationToken).ConfigureAwait(false);
            needed = 1;
            // Take what is waiting, as far as the window allows, and write it all at once.
            while (_window.Room is > 0 and var room)
            {
                if (!queue.TryDequeue(room, out var item, out var needs, joinUpTo: _window.Wanted))
                {
                    needed = Math.Max(needs, 1);
                    break;
                }
                _window.Take(item.Remaining, alone: item.Suspect);
                Encode(item, registry);
                if (++_tasksSent == _options.MaxTasksPerWorker) break;
            }
            _window.MarkSent();
            await sender.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        sender.AddEndOfQueue();
        await sender.FlushAsync(cancellationToken).ConfigureAwait(false);
        _endOfQueueSent = true;
    }

    private void Encode(WorkItem item, FunctionRegistry registry)
    {
        var sender = _connection.Sender;
        sender.DefineOnce(item.FunctionId, registry);
        var taskId = _ledger.NextTaskId();
        item.BeginSend();
        int bytes;
        try
        {
            bytes = sender.AddTask(taskId, item);
        }
        catch (ProtocolException tooLarge)
        {
            // Only this task is too large; the pipe and the other tasks are fine.
            var calls = item.Remaining;
            item.FailRemaining(tooLarge);
            _window.Return(calls, 0, null);
            return;
        }
        item.Sent(bytes);
        _window.Charge(bytes);
        _ledger.Add(taskId, item);
        // Cancelled while on its way here, where the canceller could not find it: the Cancel follows it.
        if (item.IsCancelled && _grace.TryStart(taskId)) sender.AddCancel(taskId);
    }

    private bool DueForRecycling()
    {
        if (_options.MaxTasksPerWorker > 0 && _tasksSent >= _options.MaxTasksPerWorker) return true;
        // A fresh worker has not grown yet: replacing it before its first task would loop forever.
        if (_options.MaxWorkerMemoryBytes == 0 || _tasksSent == 0) return false;
        // Reading a process's working set costs a file read on Linux: at most ten times a second.
        var now = _clock.GetTimestamp();
        if (_clock.GetElapsedTime(_memoryCheckedAt, now) < TimeSpan.FromMilliseconds(100)) return false;
        _memoryCheckedAt = now;
        return _process!.WorkingSetBytes() > _options.MaxWorkerMemoryBytes;
    }
}
