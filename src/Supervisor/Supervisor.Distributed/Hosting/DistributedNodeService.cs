using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Supervisor.Distributed.Hosting;

/// <summary>
/// One node run by a host: started with it (a failure to start fails the host), stopped with it as Ctrl-C stops
/// <c>supervisor serve</c>: no more calls taken, those held finished, stored and acknowledged. If the host's shutdown
/// timeout fires first, the node lets go of what it still holds, for other nodes to claim, so the host never hangs on it.
/// </summary>
internal sealed class DistributedNodeService(Func<DistributedNodeOptions> options, ILogger logger) : IHostedService
{
    private DistributedNode? _node;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var configured = options();
        _node = await DistributedNode.StartAsync(configured with { Logger = configured.Logger ?? logger }, cancellationToken).ConfigureAwait(false);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_node is not { } node) return;
        try
        {
            await node.StopAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Node {Node}: the host's shutdown timeout came first; the {Count} tasks it holds are left for other nodes to claim", node.Name, node.HeldTasks);
            await node.AbandonAsync().ConfigureAwait(false);
            return;
        }
        await node.DisposeAsync().ConfigureAwait(false);
    }
}
