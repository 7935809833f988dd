using System.Buffers;
using System.IO.Pipes;
using System.Threading.Channels;
using CliWrap;
using MessagePack;
using Supervisor.Dispatch;
using Supervisor.Processes;
using Supervisor.Protocol;
using Supervisor.Protocol.Framing;
using Supervisor.Protocol.Messages;
using Supervisor.Protocol.Startup;

namespace Supervisor.Transport;

/// <summary>
/// One worker process and its own pair of anonymous pipes. A sender loop takes tasks from the shared queue while
/// the worker's credit window has room and writes them in one go; a receiver loop hands each outcome to its
/// sink. The worker's stdout and stderr stay free for user code and are forwarded line by line.
/// </summary>
internal sealed class WorkerConnection : IFrameHandler, IAsyncDisposable
{
    // How long the watchdog waits for a worker to say which call runs (at most the timeout itself): its pipe thread
    // answers at once unless the worker is stuck outside a call.
    private static readonly TimeSpan ProbeWait = TimeSpan.FromMilliseconds(WireProtocol.ProbeAnswerMilliseconds);
    // How long a dead worker's stdout and stderr may stay open (held by a grandchild) before nobody waits for them.
    private static readonly TimeSpan OutputDrainAfterExit = TimeSpan.FromMilliseconds(500);

    private readonly WorkerOptions _options;
    private readonly TimeProvider _clock;
    private readonly AnonymousPipeServerStream _toWorker;
    private readonly AnonymousPipeServerStream _fromWorker;
    private readonly FrameWriter _writer;
    private readonly FrameReader _reader;
    private readonly CreditWindow _window;
    private readonly Dictionary<long, WorkItem> _inFlight = [];
    private readonly HashSet<int> _defined = [];
    private readonly StderrTail _stderr = new();
    private readonly Channel<WorkerOutputLine> _output = Channel.CreateUnbounded<WorkerOutputLine>(new() { SingleReader = true });
    private readonly CancellationTokenSource _stopSending = new();
    private readonly CancellationTokenSource _lastResort = new();
    // The sender and a caller's cancellation both write to the worker: one whole buffer at a time.
    private readonly SemaphoreSlim _pipe = new(1, 1);
    private readonly Dictionary<long, ITimer> _graceTimers = [];
    private readonly TaskCompletionSource _greeted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CommandTask<CommandResult>? _process;
    // The OS process apart from CliWrap, whose task also waits for the end of stdout and stderr: a grandchild that
    // user code started holds those open after the worker's death, which must show at once all the same.
    private System.Diagnostics.Process? _osProcess;
    private Task _receiving = Task.CompletedTask;
    private Task _forwarding = Task.CompletedTask;
    private bool _helloSeen;
    private long _nextTaskId;
    private Exception? _protocolError;
    private bool _endOfQueueSent;
    private long _runningSince;
    private bool _timedOut;
    // The watchdog's Probe waiting for its answer, under the _inFlight lock; and the answer it killed the worker on.
    private TaskCompletionSource<RunningMessage>? _probe;
    private RunningMessage? _timedOutCall;
    private int _tasksSent;
    private int _tasksCompleted;
    private bool _recycled;
    private bool _killedForCancel;
    private long _memoryCheckedAt;

    private WorkerConnection(int id, string name, WorkerOptions options)
    {
        Id = id;
        Name = name;
        _options = options;
        _clock = options.TimeProvider;
        _writer = new FrameWriter(options.MaxFrameBytes);
        _window = new CreditWindow(options.MaxTasksInFlightPerWorker);
        // Created inside the start gate by the caller: see ProcessStartGate.
        _toWorker = new AnonymousPipeServerStream(PipeDirection.Out, HandleInheritability.Inheritable);
        _fromWorker = new AnonymousPipeServerStream(PipeDirection.In, HandleInheritability.Inheritable);
        PipeCapacity.Widen(_toWorker);
        PipeCapacity.Widen(_fromWorker);
        _reader = new FrameReader(_fromWorker, options.MaxFrameBytes);
    }

    public int Id { get; }

    public string Name { get; }

    public int ProcessId { get; private set; }

    /// <summary>The exit code once the process has ended (negative: killed by that signal).</summary>
    public int? ExitCode { get; private set; }

    public bool IsAlive => _process is { Task.IsCompleted: false } && _osProcess is not { HasExited: true };

    /// <summary>Starts the worker process, tells <paramref name="launched"/> at once, and waits for its handshake.</summary>
    /// <exception cref="WorkerStartException">The process did not start, or ended or stayed silent before its handshake.</exception>
    public static async Task<WorkerConnection> StartAsync(int id, WorkerOptions options, WorkerExecutable executable, ProcessSpawner spawner,
        Action<WorkerConnection> launched, CancellationToken cancellationToken)
    {
        var name = $"{options.NamePrefix}-{id}";
        var connection = await spawner.RunAsync(() =>
        {
            lock (ProcessStartGate.Lock)
            {
                var started = new WorkerConnection(id, name, options);
                started.Launch(executable);
                return started;
            }
        }).ConfigureAwait(false);
        launched(connection);
        // The receiver reads the handshake too: an asynchronous read would switch the pipe to non-blocking mode
        // for good on Unix, and every later blocking read would then wait through the socket engine's epoll
        // thread, one more wake-up per result.
        connection._receiving = connection.ReceiveAsync();
        try
        {
            await connection.AwaitHelloAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return connection;
    }

    /// <summary>
    /// Feeds the worker from <paramref name="queue"/> until the queue is completed and empty (then sends
    /// EndOfQueue) or the worker dies, then waits for the process to end.
    /// </summary>
    /// <returns>What is left: the tasks the worker held when it ended, and how it ended.</returns>
    public async Task<WorkerExit> RunAsync(WorkQueue queue, FunctionRegistry registry)
    {
        var watchdog = _options.TaskTimeout is { } timeout ? WatchAsync(timeout, _stopSending.Token) : Task.CompletedTask;
        try
        {
            await SendAsync(queue, registry, _stopSending.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The worker is gone; the receiver saw it first or will in a moment.
        }
        await _receiving.ConfigureAwait(false);
        await watchdog.ConfigureAwait(false);
        await AwaitExitAsync().ConfigureAwait(false);
        WorkItem? running = null;
        long runningId = 0;
        List<WorkItem> waiting;
        lock (_inFlight)
        {
            // The worker runs its tasks in the order they were sent: the oldest one it held was running.
            var order = _inFlight.OrderBy(p => p.Key).ToList();
            _inFlight.Clear();
            if (order.Count > 0)
            {
                (runningId, running) = order[0];
                order.RemoveAt(0);
            }
            waiting = [.. order.Select(p => p.Value)];
        }
        var clean = _endOfQueueSent && ExitCode == 0 && running is null && _protocolError is null;
        // The worker gathers results and sends them when it runs out of tasks, so a crash can take finished calls'
        // results with it: the running call is known only when it held one call, or ran a task reporting each call,
        // or was killed for the call its Running report named, if no answer came after the report.
        var causeKnown = running is not null
            && ((waiting.Count == 0 && (running.Remaining == 1 || running.Suspect))
                || (_timedOutCall is { } named && named.TaskId == runningId && named.Item == running.Delivered - running.SentFrom));
        return new WorkerExit(this, clean, running, waiting, causeKnown, _protocolError?.Message, _timedOut, clean && _recycled,
            _tasksCompleted > 0, _killedForCancel);
    }

    /// <summary>Sends one task straight to this worker and flushes, outside the shared queue (the initializer).</summary>
    public async Task SendDirectAsync(WorkItem item, FunctionRegistry registry, CancellationToken cancellationToken)
    {
        _window.Take(item.Remaining);
        Encode(item, registry);
        await FlushAsync(_writer, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The caller cancelled <paramref name="item"/>. If this worker holds it, the worker is told, and killed if the
    /// task is still running after <see cref="WorkerOptions.CancellationGracePeriod"/>.
    /// </summary>
    /// <returns>Whether this worker holds the task.</returns>
    public bool TryCancel(WorkItem item)
    {
        long taskId;
        lock (_inFlight)
        {
            taskId = _inFlight.FirstOrDefault(p => p.Value == item).Key;
            if (taskId == 0) return false;
            if (!StartGraceTimer(taskId)) return true;
        }
        _ = SendCancelAsync(taskId);
        return true;
    }

    /// <summary>
    /// Sends the parent's inherited state straight to this worker, before any task (start method fork); the worker
    /// answers it as a call, into <paramref name="item"/>'s sink.
    /// </summary>
    public async Task SendInheritedAsync(IReadOnlyList<InheritedValue> values, WorkItem item, CancellationToken cancellationToken)
    {
        item.Count = 1;
        _window.Take(item.Remaining);
        var taskId = ++_nextTaskId;
        var start = _writer.BeginFrame();
        var writer = new MessagePackWriter(_writer);
        new InheritMessage(taskId, values).Write(ref writer);
        writer.Flush();
        _writer.EndFrame(start);
        lock (_inFlight) _inFlight[taskId] = item;
        await _writer.FlushToAsync(_toWorker, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Completes when the worker's pipe has ended: it exited, crashed or was cut off.</summary>
    public Task Ended => _receiving;

    /// <summary>Stops feeding the worker; it ends when its pipe closes.</summary>
    public void StopSending() => _stopSending.Cancel();

    /// <summary>Asks the process to stop (SIGTERM on Unix).</summary>
    public void Terminate()
    {
        if (IsAlive) Signals.Terminate(ProcessId);
    }

    /// <summary>Kills the process at once.</summary>
    public void Kill()
    {
        if (IsAlive) Signals.Kill(ProcessId);
    }

    /// <summary>The last lines the worker wrote to stderr.</summary>
    public IReadOnlyList<string> LastErrorLines => _stderr.Lines();

    public async ValueTask DisposeAsync()
    {
        Kill();
        _stopSending.Cancel();
        await AwaitExitAsync().ConfigureAwait(false);
        await _receiving.ConfigureAwait(false);
        await _toWorker.DisposeAsync().ConfigureAwait(false);
        await _reader.DisposeAsync().ConfigureAwait(false);
        await _fromWorker.DisposeAsync().ConfigureAwait(false);
        _writer.Dispose();
        lock (_inFlight)
        {
            foreach (var timer in _graceTimers.Values) timer.Dispose();
            _graceTimers.Clear();
        }
        _pipe.Dispose();
        _stopSending.Dispose();
        _lastResort.Dispose();
        _osProcess?.Dispose();
    }

    void IFrameHandler.OnFrame(ReadOnlySequence<byte> payload)
    {
        var reader = new MessagePackReader(payload);
        var kind = Envelope.ReadHeader(ref reader);
        if (!_helloSeen && kind != MessageKind.Hello) throw new ProtocolException($"{Name} sent {kind} before its handshake.");
        switch (kind)
        {
            case MessageKind.Hello:
                AcceptHello(HelloMessage.Read(ref reader));
                break;
            case MessageKind.Result:
            {
                var head = ResultMessage.ReadHead(ref reader);
                var item = Expect(head.TaskId, head.FirstItem, head.Count);
                for (var i = 0; i < head.Count; i++)
                {
                    var value = reader.CreatePeekReader();
                    // A malformed value breaks the protocol before its call counts as delivered: it is sent again.
                    reader.Skip();
                    // The caller of a cancelled task has its answer already: a late result is dropped.
                    if (!item.IsCancelled) item.Sink.OnResult(item.FirstIndex + item.Delivered, ref value);
                    item.Delivered++;
                }
                Delivered(head.TaskId, item, head.ElapsedMicroseconds);
                break;
            }
            case MessageKind.Error:
            {
                var message = ErrorMessage.Read(ref reader);
                var item = Expect(message.TaskId, message.Item, 1);
                if (!item.IsCancelled) item.Sink.OnFailure(item.FirstIndex + item.Delivered, new RemoteTaskException(message.Error, Name));
                item.Delivered++;
                Delivered(message.TaskId, item, 0);
                break;
            }
            case MessageKind.Running:
            {
                // It follows the results of the calls before it: the call it names is the next one of its task.
                var report = RunningMessage.Read(ref reader);
                Expect(report.TaskId, report.Item, 1);
                lock (_inFlight)
                {
                    // Calls run in send order: the one running belongs to the oldest task held.
                    if (report.TaskId != _inFlight.Keys.Min())
                    {
                        throw new ProtocolException($"{Name} said task {report.TaskId} runs; task {_inFlight.Keys.Min()} was sent before it and is unanswered.");
                    }
                    _probe?.TrySetResult(report);
                }
                break;
            }
            default:
                throw new ProtocolException($"A supervisor does not accept {kind} messages.");
        }
    }

    private void Launch(WorkerExecutable executable)
    {
        var info = new WorkerStartInfo(
            _toWorker.GetClientHandleAsString(), _fromWorker.GetClientHandleAsString(), Id, Name, _options.MaxFrameBytes);
        var command = Cli.Wrap(executable.FileName)
            .WithArguments([.. executable.LeadingArguments, .. info.ToArguments()])
            .WithEnvironmentVariables(env =>
            {
                // Off, a killed worker would leave the runtime's diagnostic pipes and sockets in the temp directory.
                if (!_options.RuntimeDiagnostics) env.Set("DOTNET_EnableDiagnostics", "0");
                env.Set(_options.EnvironmentVariables);
            })
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(PipeTarget.ToDelegate(line => Forward(isError: false, line)))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(line => Forward(isError: true, line)));
        try
        {
            _process = command.ExecuteAsync(_lastResort.Token);
            ProcessId = _process.ProcessId;
            _osProcess = OpenProcess(ProcessId);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new WorkerStartException($"Cannot start {Name} from '{executable.FileName}': {e.Message}", e);
        }
        finally
        {
            // The child has its copies now; keeping ours would hide the child's death from the reader.
            _toWorker.DisposeLocalCopyOfClientHandle();
            _fromWorker.DisposeLocalCopyOfClientHandle();
        }
        _forwarding = ForwardOutputAsync();
    }

    private async Task AwaitHelloAsync(CancellationToken cancellationToken)
    {
        try
        {
            // The receiver ends without a handshake when the worker exits or breaks the protocol first.
            await Task.WhenAny(_greeted.Task, _receiving).WaitAsync(_options.StartTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Kill();
            await AwaitExitAsync().ConfigureAwait(false);
            throw new WorkerStartException($"{Name} (pid {ProcessId}) did not complete its handshake within {_options.StartTimeout.TotalSeconds:0.#} s.{StderrSuffix()}");
        }
        if (_greeted.Task.IsCompleted) return;
        await AwaitExitAsync().ConfigureAwait(false);
        if (_protocolError is { } error)
        {
            throw new WorkerStartException($"{Name} (pid {ProcessId}) broke the protocol during its handshake: {error.Message}{StderrSuffix()}", error);
        }
        throw new WorkerStartException($"{Name} (pid {ProcessId}) exited with code {ExitCode} before its handshake.{StderrSuffix()}");
    }

    private void AcceptHello(HelloMessage hello)
    {
        if (_helloSeen) throw new ProtocolException($"{Name} sent a second handshake.");
        if (hello.Version != WireProtocol.Version)
        {
            throw new ProtocolException($"{Name} speaks protocol version {hello.Version}; this supervisor speaks {WireProtocol.Version}. Use a worker built with the same version.");
        }
        if (hello.WorkerId != Id) throw new ProtocolException($"{Name} introduced itself as worker {hello.WorkerId}.");
        _helloSeen = true;
        _greeted.TrySetResult();
    }

    private async Task SendAsync(WorkQueue queue, FunctionRegistry registry, CancellationToken cancellationToken)
    {
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
                if (!queue.TryDequeue(room, out var item, out var needs))
                {
                    needed = Math.Max(needs, 1);
                    break;
                }
                _window.Take(item.Remaining, alone: item.Suspect);
                Encode(item, registry);
                if (++_tasksSent == _options.MaxTasksPerWorker) break;
            }
            _window.MarkSent();
            await FlushAsync(_writer, cancellationToken).ConfigureAwait(false);
        }
        var start = _writer.BeginFrame();
        var writer = new MessagePackWriter(_writer);
        EndOfQueueMessage.Write(ref writer);
        writer.Flush();
        _writer.EndFrame(start);
        await FlushAsync(_writer, cancellationToken).ConfigureAwait(false);
        _endOfQueueSent = true;
    }

    private void Encode(WorkItem item, FunctionRegistry registry)
    {
        if (_defined.Add(item.FunctionId))
        {
            var (function, fixedArguments) = registry.Get(item.FunctionId);
            var defineStart = _writer.BeginFrame();
            var define = new MessagePackWriter(_writer);
            new DefineMessage(item.FunctionId, function.Reference, fixedArguments).Write(ref define);
            define.Flush();
            _writer.EndFrame(defineStart);
        }
        var taskId = ++_nextTaskId;
        item.SentFrom = item.Delivered;
        item.Attempts++;
        var start = _writer.BeginFrame();
        var writer = new MessagePackWriter(_writer);
        new TaskMessage(taskId, item.FunctionId, item.Mode, item.Count - item.Delivered, item.Suspect).WriteHead(ref writer);
        writer.Flush();
        // Large arguments go to the pipe from the item's buffer, which lives until the worker has answered.
        _writer.Attach(item.Undelivered());
        try
        {
            _writer.EndFrame(start);
        }
        catch (ProtocolException tooLarge)
        {
            // Only this task is too large; the pipe and the other tasks are fine.
            var calls = item.Remaining;
            for (; item.Delivered < item.Count; item.Delivered++) item.Sink.OnFailure(item.FirstIndex + item.Delivered, tooLarge);
            item.Release();
            _window.Return(calls, 0, null);
            return;
        }
        item.SentBytes = _writer.Length - start;
        _window.Charge(item.SentBytes);
        bool cancelled;
        lock (_inFlight)
        {
            _inFlight[taskId] = item;
            if (_inFlight.Count == 1) _runningSince = _clock.GetTimestamp();
            // Cancelled while on its way here, where the canceller could not find it: the Cancel follows it.
            cancelled = item.IsCancelled && StartGraceTimer(taskId);
        }
        if (cancelled) WriteCancel(_writer, taskId);
    }

    // Under the _inFlight lock. False when the task is already being cancelled.
    private bool StartGraceTimer(long taskId)
    {
        if (_graceTimers.ContainsKey(taskId)) return false;
        _graceTimers[taskId] = _clock.CreateTimer(OnGraceOver, taskId, _options.CancellationGracePeriod, Timeout.InfiniteTimeSpan);
        return true;
    }

    /// <summary>A cancelled task's grace period is over: a worker still running it is killed, as for a timeout.</summary>
    private void OnGraceOver(object? state)
    {
        var taskId = (long)state!;
        lock (_inFlight)
        {
            if (!_inFlight.ContainsKey(taskId)) return;
            // Still queued in the worker behind a call that runs: the worker skips it once it gets there.
            if (_inFlight.Keys.Min() != taskId)
            {
                _graceTimers[taskId].Change(_options.CancellationGracePeriod, Timeout.InfiniteTimeSpan);
                return;
            }
            _killedForCancel = true;
        }
        Kill();
    }

    private Task SendCancelAsync(long taskId) => SendAsideAsync(frames => WriteCancel(frames, taskId));

    private Task SendProbeAsync() => SendAsideAsync(WriteProbe);

    // A frame of its own, beside the sender's buffer, which the sender may be filling.
    private async Task SendAsideAsync(Action<FrameWriter> write)
    {
        try
        {
            using var frame = new FrameWriter(_options.MaxFrameBytes, initialCapacity: 64);
            write(frame);
            await FlushAsync(frame, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The worker is gone: there is nothing left to tell it.
        }
    }

    private static void WriteProbe(FrameWriter frames)
    {
        var start = frames.BeginFrame();
        var writer = new MessagePackWriter(frames);
        ProbeMessage.Write(ref writer);
        writer.Flush();
        frames.EndFrame(start);
    }

    private static void WriteCancel(FrameWriter frames, long taskId)
    {
        var start = frames.BeginFrame();
        var writer = new MessagePackWriter(frames);
        new CancelMessage(taskId).Write(ref writer);
        writer.Flush();
        frames.EndFrame(start);
    }

    private async ValueTask FlushAsync(FrameWriter frames, CancellationToken cancellationToken)
    {
        await _pipe.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await frames.FlushToAsync(_toWorker, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _pipe.Release();
        }
    }

    private WorkItem Expect(long taskId, int firstCall, int calls)
    {
        WorkItem? item;
        lock (_inFlight) _inFlight.TryGetValue(taskId, out item);
        if (item is null) throw new ProtocolException($"{Name} answered task {taskId}, which it does not hold.");
        // A worker runs the calls of a task in order; anything else is a broken or hostile peer, and would
        // break exactly-once delivery.
        if (firstCall != item.Delivered - item.SentFrom)
        {
            throw new ProtocolException($"{Name} answered call {firstCall} of task {taskId}; call {item.Delivered - item.SentFrom} was next.");
        }
        if (calls > item.Remaining)
        {
            throw new ProtocolException($"{Name} answered {calls} calls of task {taskId}, which has {item.Remaining} left.");
        }
        return item;
    }

    /// <summary>Counts the time of calls just delivered, and retires the task once all its calls have been.</summary>
    private void Delivered(long taskId, WorkItem item, long elapsedMicroseconds)
    {
        item.ElapsedMicroseconds += elapsedMicroseconds;
        lock (_inFlight)
        {
            // The call after the ones just answered starts now: the timeout is per call, not per task or chunk.
            _runningSince = _clock.GetTimestamp();
            if (item.Remaining > 0) return;
            _inFlight.Remove(taskId);
        }
        var spent = item.ElapsedMicroseconds;
        var calls = item.Count - item.SentFrom;
        _tasksCompleted++;
        item.Release();
        _window.Return(calls, item.SentBytes, spent);
    }

    /// <summary>
    /// Kills the worker when its running task passes the timeout. First it sends a Probe, which the worker's pipe
    /// thread answers while the call runs: the results gathered so far, then a Running report naming the call. The
    /// kill follows the report at once if the call is still past the timeout once the results before it are in (else
    /// the watch goes on), or the wait's bound; without a report the call that ran stays unknown.
    /// </summary>
    private async Task WatchAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromTicks(Math.Clamp(timeout.Ticks / 4, TimeSpan.FromMilliseconds(10).Ticks, TimeSpan.FromSeconds(1).Ticks));
        var probeWait = timeout < ProbeWait ? timeout : ProbeWait;
        try
        {
            while (true)
            {
                await Task.Delay(interval, _clock, cancellationToken).ConfigureAwait(false);
                TaskCompletionSource<RunningMessage> probe;
                lock (_inFlight)
                {
                    if (!PastTimeout(timeout)) continue;
                    probe = _probe = new TaskCompletionSource<RunningMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
                }
                // Not awaited: a sender stuck on a full pipe (a worker that stopped reading) holds the pipe's turn, and the
                // kill must not wait for it; only the wait for the report is bounded.
                _ = SendProbeAsync();
                try
                {
                    await probe.Task.WaitAsync(probeWait, _clock, cancellationToken).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    // No report: the worker runs no call, or is stuck outside one.
                }
                lock (_inFlight)
                {
                    _probe = null;
                    // Any answer since restarted the clock: results the worker had gathered (the call the report names
                    // started after them, so it has its whole timeout from the last of them), or the call itself.
                    if (!PastTimeout(timeout)) continue;
                    if (probe.Task.IsCompletedSuccessfully) _timedOutCall = probe.Task.Result;
                    _timedOut = true;
                }
                Kill();
                return;
            }
        }
        catch (OperationCanceledException)
        {
            // The worker ended first.
        }
    }

    // Under the _inFlight lock.
    private bool PastTimeout(TimeSpan timeout) => _inFlight.Count > 0 && _clock.GetElapsedTime(_runningSince) > timeout;

    private bool DueForRecycling()
    {
        if (_options.MaxTasksPerWorker > 0 && _tasksSent >= _options.MaxTasksPerWorker) return true;
        // A fresh worker has not grown yet: replacing it before its first task would loop forever.
        if (_options.MaxWorkerMemoryBytes == 0 || _tasksSent == 0) return false;
        // Reading a process's working set costs a file read on Linux: at most ten times a second.
        var now = _clock.GetTimestamp();
        if (_clock.GetElapsedTime(_memoryCheckedAt, now) < TimeSpan.FromMilliseconds(100)) return false;
        _memoryCheckedAt = now;
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(ProcessId);
            return process.WorkingSet64 > _options.MaxWorkerMemoryBytes;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    // A thread of its own with blocking reads: results are handed on the moment they arrive, without the hop
    // through the I/O completion thread that an asynchronous read costs per batch.
    private Task ReceiveAsync() =>
        Task.Factory.StartNew(Receive, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Receive()
    {
        try
        {
            while (_reader.Read(this)) { }
        }
        catch (Exception e) when (ProtocolErrors.IsProtocolError(e))
        {
            _protocolError = e;
            Kill();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The pipe broke: the process is gone.
        }
        _stopSending.Cancel();
    }

    private async Task AwaitExitAsync()
    {
        if (_process is null) return;
        try
        {
            // A worker whose pipe closed but whose process lingers is ended after the grace period.
            _lastResort.CancelAfter(_options.ShutdownGracePeriod);
            if (_osProcess is not null && await Task.WhenAny(_process, _osProcess.WaitForExitAsync()).ConfigureAwait(false) != _process.Task
                && await Task.WhenAny(_process, Task.Delay(OutputDrainAfterExit, _clock)).ConfigureAwait(false) != _process.Task)
            {
                // The process is gone, but a grandchild holds its stdout and stderr open, and CliWrap waits for them:
                // the exit code stays unknown, and their lines (the grandchild's too) are forwarded while they stay open.
                return;
            }
            var result = await _process.ConfigureAwait(false);
            ExitCode = ExitCodes.FromOs(result.ExitCode);
        }
        catch (OperationCanceledException)
        {
            ExitCode = OperatingSystem.IsWindows() ? -1 : -9;
        }
        await _forwarding.ConfigureAwait(false);
    }

    private static System.Diagnostics.Process? OpenProcess(int processId)
    {
        try
        {
            return System.Diagnostics.Process.GetProcessById(processId);
        }
        catch (ArgumentException)
        {
            return null; // it exited already: CliWrap's task says how
        }
    }

    private void Forward(bool isError, string line)
    {
        if (isError) _stderr.Add(line);
        _output.Writer.TryWrite(new WorkerOutputLine(Name, ProcessId, isError, line));
    }

    // CliWrap awaits the line handler: a slow handler would stall the worker once the OS pipe fills, so lines
    // go through a channel and the user's handler runs here, apart from the process.
    private async Task ForwardOutputAsync()
    {
        var handler = _options.Output ?? WriteToConsole;
        var completion = _process!.Task.ContinueWith(_ => _output.Writer.TryComplete(), TaskScheduler.Default);
        await foreach (var line in _output.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                handler(line);
            }
#pragma warning disable CA1031 // A faulty output handler must not take the worker's supervision down.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
        await completion.ConfigureAwait(false);
    }

    private static void WriteToConsole(WorkerOutputLine line)
    {
        if (line.IsError) Console.Error.WriteLine(line.ToString());
        else Console.Out.WriteLine(line.ToString());
    }

    private string StderrSuffix()
    {
        var lines = _stderr.Lines();
        return lines.Count == 0 ? "" : $"{Environment.NewLine}Its stderr:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", lines)}";
    }
}
