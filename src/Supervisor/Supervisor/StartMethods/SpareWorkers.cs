using Supervisor.Supervision;

namespace Supervisor.StartMethods;

/// <summary>
/// Forkserver, mirrored: workers started ahead of need (process up, handshake done, task path compiled by a
/// warm-up call, initializer run) and handed out at once; each one taken is replaced in the background. One set
/// per pool, not per program as Python's server is: a spare carries its pool's options (executable, environment,
/// output, initializer), so it cannot serve another pool. A spare's inherited state is copied when it starts (by
/// <see cref="WorkerFactory.StartAsync"/>, called from <see cref="Fill"/>), not when it is taken.
/// </summary>
internal sealed class SpareWorkers(WorkerFactory factory, int count) : IAsyncDisposable
{
    private readonly Queue<Task<SupervisedWorker>> _spares = new();
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Starts spares until <c>count</c> are ready or on their way.</summary>
    public void Fill()
    {
        lock (_spares)
        {
            while (_spares.Count < count) _spares.Enqueue(factory.StartAsync(_stopping.Token));
        }
    }

    /// <summary>The oldest spare (ready, or the nearest to it), and a new one started in its place.</summary>
    /// <exception cref="WorkerStartException">The spare could not start.</exception>
    public async Task<SupervisedWorker> TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task<SupervisedWorker> next;
            lock (_spares)
            {
                next = _spares.Count > 0 ? _spares.Dequeue() : factory.StartAsync(_stopping.Token);
            }
            Fill();
            SupervisedWorker spare;
            try
            {
                spare = await next.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                _ = DisposeWhenStartedAsync(next);
                throw;
            }
            // A spare killed while it waited is no use: take the next one.
            if (!spare.Ended.IsCompleted) return spare;
            await spare.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Ends the spares not handed out.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        Task<SupervisedWorker>[] left;
        lock (_spares)
        {
            left = [.. _spares];
            _spares.Clear();
        }
        foreach (var spare in left) await DisposeWhenStartedAsync(spare).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private static async Task DisposeWhenStartedAsync(Task<SupervisedWorker> start)
    {
        try
        {
            var spare = await start.ConfigureAwait(false);
            await spare.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is WorkerStartException or OperationCanceledException)
        {
            // It never became a worker; the factory ended what it had started.
        }
    }
}
