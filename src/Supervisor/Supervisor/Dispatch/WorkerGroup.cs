using Microsoft.Extensions.Logging;
using Supervisor.Protocol.Serialization;
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
    private readonly WorkerExecutable _executable;
    private readonly List<WorkerConnection> _current = [];
    private readonly List<WorkerConnection> _started = [];
    private readonly CancellationTokenSource _terminate = new();
    private Task _completion = Task.CompletedTask;
    private int _nextId;

    /// <summary>Prepares a group; nothing starts until <see cref="StartAsync"/>, so calls can be checked and queued first.</summary>
    public WorkerGroup(WorkerOptions options, WorkQueue queue)
    {
        options.Validate();
        _options = options;
        Queue = queue;
        _executable = WorkerExecutable.Resolve(options.WorkerExecutable);
        Encoder = new ArgumentEncoder(new SerializabilityChecker(WireSerializer.Options));
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
        var starts = Enumerable.Range(0, _options.Workers).Select(_ => StartWorkerAsync(cancellationToken)).ToList();
        try
        {
            await Task.WhenAll(starts).ConfigureAwait(false);
        }
        catch
        {
            foreach (var start in starts.Where(s => s.IsCompletedSuccessfully)) await RetireAsync(start.Result).ConfigureAwait(false);
            throw;
        }
        _completion = Task.WhenAll(starts.Select(s => SuperviseAsync(s.Result)));
    }

    /// <summary>No new tasks; each worker gets EndOfQueue once the queue is drained.</summary>
    public void Close() => Queue.Complete();

    /// <summary>Ends every worker now; tasks not finished fail with <paramref name="reason"/>.</summary>
    public async Task TerminateAsync(Exception reason)
    {
        _terminate.Cancel();
        foreach (var item in Queue.DrainAll()) Fail(item, reason);
        foreach (var worker in Workers) worker.Kill();
        await _completion.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        Close();
        var graceful = await Task.WhenAny(_completion, Task.Delay(_options.ShutdownGracePeriod)).ConfigureAwait(false) == _completion;
        if (!graceful)
        {
            await TerminateAsync(new ObjectDisposedException(nameof(WorkerGroup), "The pool was disposed before this task ran.")).ConfigureAwait(false);
        }
        await _completion.ConfigureAwait(false);
        _terminate.Dispose();
        Queue.Dispose();
    }

    private async Task<WorkerConnection> StartWorkerAsync(CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        var connection = await WorkerConnection.StartAsync(id, _options, _executable, cancellationToken).ConfigureAwait(false);
        lock (_current)
        {
            _current.Add(connection);
            _started.Add(connection);
        }
        _options.Logger?.LogDebug("Started {Worker} (pid {Pid})", connection.Name, connection.ProcessId);
        try
        {
            if (_options.Initializer is { } initializer) await InitializeAsync(connection, initializer, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await RetireAsync(connection).ConfigureAwait(false);
            throw;
        }
        return connection;
    }

    private async Task InitializeAsync(WorkerConnection connection, Function initializer, CancellationToken cancellationToken)
    {
        var sink = new CompletionSink<object?>();
        var arguments = _options.InitializerArguments ?? Arguments.Of();
        var item = new WorkItem(Functions.IdOf(initializer), ArgumentEncoder.ModeOf(arguments), 0, sink);
        Encoder.WriteArguments(item, initializer, arguments);
        await connection.SendDirectAsync(item, Functions, cancellationToken).ConfigureAwait(false);
        if (await Task.WhenAny(sink.Task, connection.Ended).ConfigureAwait(false) != sink.Task)
        {
            throw new WorkerStartException($"{connection.Name} (pid {connection.ProcessId}) ended while running the initializer {initializer.Name}." +
                string.Concat(connection.LastErrorLines.Select(l => Environment.NewLine + "  " + l)));
        }
        try
        {
            await sink.Task.ConfigureAwait(false);
        }
        catch (RemoteTaskException e)
        {
            throw new WorkerStartException($"The initializer {initializer.Name} failed in {connection.Name}: {e.Message}", e);
        }
    }

    private async Task SuperviseAsync(WorkerConnection connection)
    {
        while (true)
        {
            var exit = await connection.RunAsync(Queue, Functions).ConfigureAwait(false);
            await RetireAsync(connection).ConfigureAwait(false);
            if (exit.Clean) return;
            _options.Logger?.LogWarning("{Worker} (pid {Pid}) ended with code {ExitCode} holding {Held} task(s)",
                connection.Name, connection.ProcessId, connection.ExitCode, exit.Held.Count);
            var crash = new WorkerCrashedException(connection.Name, connection.ProcessId, connection.ExitCode, connection.LastErrorLines, exit.ProtocolError);
            foreach (var item in exit.Held)
            {
                if (item.Attempts <= _options.Retries && !_terminate.IsCancellationRequested) Queue.Requeue(item);
                else Fail(item, crash);
            }
            if (_terminate.IsCancellationRequested || (Queue.IsCompleted && Queue.Count == 0)) return;
            try
            {
                connection = await StartWorkerAsync(_terminate.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WorkerStartException or OperationCanceledException)
            {
                // Without a worker in this slot the others carry on; if none is left, the queue cannot drain.
                _options.Logger?.LogError(e, "Could not replace {Worker}", connection.Name);
                if (Workers.Count == 0)
                {
                    foreach (var item in Queue.DrainAll()) Fail(item, e);
                }
                return;
            }
        }
    }

    private async Task RetireAsync(WorkerConnection connection)
    {
        lock (_current) _current.Remove(connection);
        await connection.DisposeAsync().ConfigureAwait(false);
    }

    private static void Fail(WorkItem item, Exception reason)
    {
        for (; item.Delivered < item.Count; item.Delivered++) item.Sink.OnFailure(item.FirstIndex + item.Delivered, reason);
        item.Release();
    }
}
