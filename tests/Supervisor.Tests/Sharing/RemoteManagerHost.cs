using Supervisor.Sharing;

namespace Supervisor.Tests.Sharing;

/// <summary>
/// A process target that hosts a manager of its own, so that this process reaches it as any other process would:
/// through a connection to its socket. It references the supervisor, which user code taking a queue never needs.
/// </summary>
public static class RemoteManagerHost
{
    /// <summary>Starts a manager, sends one of its queues over <paramref name="connection"/>, then waits to be killed.</summary>
    public static async Task SendQueueThenWait(PipeConnection<SharedQueue<int>> connection)
    {
        await using var manager = ProcessManager.Start();
        await connection.SendAsync(manager.CreateQueue<int>());
        await connection.ReceiveAsync();
    }
}
