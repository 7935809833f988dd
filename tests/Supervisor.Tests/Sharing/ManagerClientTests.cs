using MessagePack;
using Supervisor.Protocol.Serialization;
using Supervisor.Sharing;
using Supervisor.Tests.Support;

namespace Supervisor.Tests.Sharing;

/// <summary>This process's connection to a manager in another process, and what is left of it when that process dies.</summary>
public sealed class ManagerClientTests
{
    private readonly QuietOutput _output = new();

    [Fact]
    public async Task A_connection_to_a_killed_manager_fails_every_call_and_is_forgotten()
    {
        await using var manager = ProcessManager.Start();
        var (here, there) = manager.CreatePipe<SharedQueue<int>>();
        await using var host = new WorkerProcess(Function.FromDelegate(RemoteManagerHost.SendQueueThenWait), Arguments.Of(there), _output.Options(1));
        await host.StartAsync();
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var remote = await here.ReceiveAsync(guard.Token);
        var client = EndpointOf(remote);
        try
        {
            await remote.PutAsync(1, guard.Token);
            Assert.Equal(1, await remote.GetAsync(guard.Token));
            var waiting = remote.GetAsync(guard.Token);

            host.Kill();

            // The waiting call ends with the connection, and so does every later one, at once.
            var ended = await Assert.ThrowsAsync<IOException>(() => waiting.WaitAsync(guard.Token));
            Assert.Contains("ended", ended.Message, StringComparison.Ordinal);
            await Assert.ThrowsAsync<IOException>(() => remote.PutAsync(2, guard.Token).WaitAsync(guard.Token));
            // Once the process is gone: while the kernel closes a dying process's sockets, its listener may still take
            // a connection and end it (seen under load), instead of refusing it.
            Assert.True(await host.JoinAsync(TimeSpan.FromMinutes(1)));
            // The dead connection is forgotten: a reference read now gets a connection of its own, refused at once.
            var later = MessagePackSerializer.Deserialize<SharedQueue<int>>(
                MessagePackSerializer.Serialize(remote, WireSerializer.Options), WireSerializer.Options);
            Assert.NotSame(client, EndpointOf(later));
            var refused = await Assert.ThrowsAsync<IOException>(() => later.PutAsync(2, guard.Token).WaitAsync(guard.Token));
            Assert.Contains("Cannot reach the ProcessManager", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            // A killed manager cannot remove its directory.
            var directory = Path.GetDirectoryName(client.Address.SocketPath)!;
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
        WorkerProcesses.AssertAllExited(host);
    }

    private static ISharingEndpoint EndpointOf(SharedQueue<int> queue) => ((ISharedReference)queue).Handle.Endpoint;
}
