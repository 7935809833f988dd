using Supervisor.Dispatch;
using Supervisor.Encoding;
using Supervisor.Processes;
using Supervisor.Protocol.Messages;
using Supervisor.Protocol.Serialization;
using Supervisor.Protocol.Startup;
using Supervisor.Results;
using Supervisor.Supervision;

namespace Supervisor.StartMethods;

/// <summary>
/// Brings one worker to life as its start method says: a fresh process (spawn); a fresh process that is handed
/// the parent's declared state as it was when the process started (fork); a fresh process warmed by a first call
/// (a forkserver spare). Then the initializer runs. What it hands back is ready for tasks.
/// </summary>
internal sealed class WorkerFactory(
    WorkerOptions options, WorkerExecutable executable, ProcessSpawner spawner, FunctionRegistry functions, ArgumentEncoder encoder,
    Action<SupervisedWorker> launched)
{
    private static readonly Function WarmUpCall = Function.FromDelegate(WarmUp.Echo);
    private readonly SerializabilityChecker _checker = new(WireSerializer.Options);
    private int _nextId;

    /// <summary>Starts a worker and prepares it.</summary>
    /// <exception cref="WorkerStartException">The process did not start, or ended or failed while being prepared.</exception>
    public async Task<SupervisedWorker> StartAsync(CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        // Fork's copy of the parent is taken now, before the process exists: what the parent changes later stays there.
        // A forkserver spare keeps this copy however long it waits to be taken.
        var inherited = Snapshot(id);
        var connection = await SupervisedWorker.StartAsync(id, options, executable, spawner, launched, cancellationToken).ConfigureAwait(false);
        try
        {
            if (inherited.Count > 0)
            {
                var sink = new CompletionSink<object?>();
                await connection.SendInheritedAsync(inherited, new WorkItem(0, ArgumentMode.Positional, 0, sink), cancellationToken).ConfigureAwait(false);
                await AwaitStepAsync(connection, sink, $"the inherited state ({string.Join(", ", options.Inherited)})", cancellationToken).ConfigureAwait(false);
            }
            if (options.StartMethod == StartMethod.Forkserver)
            {
                await CallAsync(connection, WarmUpCall, Arguments.Of(0), "the warm-up call", cancellationToken).ConfigureAwait(false);
            }
            if (options.Initializer is { } initializer)
            {
                await CallAsync(connection, initializer, options.InitializerArguments ?? Arguments.Of(), $"the initializer {initializer.Name}", cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return connection;
    }

    private IReadOnlyList<InheritedValue> Snapshot(int id)
    {
        try
        {
            return [.. options.Inherited.Select(member => member.Snapshot(_checker))];
        }
        catch (UnserializableValueException e)
        {
            throw new WorkerStartException($"{options.NamePrefix}-{id} cannot inherit {e.Message}", e);
        }
    }

    private async Task CallAsync(SupervisedWorker connection, Function function, Arguments arguments, string step, CancellationToken cancellationToken)
    {
        var sink = new CompletionSink<object?>();
        var item = new WorkItem(functions.IdOf(function), ArgumentEncoder.ModeOf(arguments), 0, sink);
        encoder.WriteArguments(item, function, arguments);
        await connection.SendDirectAsync(item, functions, cancellationToken).ConfigureAwait(false);
        await AwaitStepAsync(connection, sink, step, cancellationToken).ConfigureAwait(false);
    }

    // Cancellable: a pool disposed while a spare runs a slow initializer must not wait for it (the caller kills it).
    private static async Task AwaitStepAsync(SupervisedWorker connection, CompletionSink<object?> sink, string step, CancellationToken cancellationToken)
    {
        if (await Task.WhenAny(sink.Task, connection.Ended).WaitAsync(cancellationToken).ConfigureAwait(false) != sink.Task)
        {
            throw new WorkerStartException($"{connection.Name} (pid {connection.ProcessId}) ended during {step}." +
                string.Concat(connection.LastErrorLines.Select(l => Environment.NewLine + "  " + l)));
        }
        try
        {
            await sink.Task.ConfigureAwait(false);
        }
        catch (RemoteTaskException e)
        {
            throw new WorkerStartException($"{char.ToUpperInvariant(step[0])}{step[1..]} failed in {connection.Name}: {e.Message}", e);
        }
    }
}
