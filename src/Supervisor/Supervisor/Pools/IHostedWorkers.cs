namespace Supervisor;

/// <summary>
/// A pool or queue as a host drives it: created unstarted (so it can be handed out before the host starts), started
/// with the host, closed and drained when the host stops. <c>Supervisor.Hosting</c> uses it.
/// </summary>
internal interface IHostedWorkers : IAsyncDisposable
{
    /// <summary>The workers now running.</summary>
    IReadOnlyList<WorkerInfo> Workers { get; }

    /// <summary>What the workers do and how much work is held, now.</summary>
    PoolState State { get; }

    /// <summary>Starts the workers; calls queued before run once they are up.</summary>
    /// <exception cref="WorkerStartException">A worker could not start; its stderr is in the message.</exception>
    Task StartWorkersAsync(CancellationToken cancellationToken);

    /// <summary>Accepts no new work; workers end once what was accepted is done.</summary>
    void Close();

    /// <summary>Completes when every worker has ended after <see cref="Close"/>.</summary>
    Task JoinAsync(CancellationToken cancellationToken);

    /// <summary>Kills every worker now; unfinished calls fail.</summary>
    Task TerminateAsync();
}
