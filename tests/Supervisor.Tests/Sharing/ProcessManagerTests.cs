using System.Buffers.Binary;
using System.Net.Sockets;
using Supervisor.Protocol.Framing;
using Supervisor.Sharing;

namespace Supervisor.Tests.Sharing;

/// <summary>The manager's socket: private, authenticated, and hardened against a client that breaks the protocol.</summary>
public sealed class ProcessManagerTests
{
    [Fact]
    public async Task The_socket_lives_in_a_private_directory_that_is_removed_on_dispose()
    {
        var manager = ProcessManager.Start();
        var directory = Path.GetDirectoryName(manager.SocketPath)!;
        Assert.True(File.Exists(manager.SocketPath) || Directory.Exists(directory));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));
        }
        await manager.DisposeAsync();
        Assert.False(Directory.Exists(directory));
    }

    [Fact]
    public async Task A_client_with_a_wrong_key_is_cut_off_and_the_manager_goes_on()
    {
        await using var manager = ProcessManager.Start();
        using var socket = await ConnectAsync(manager);
        using var frames = new FrameWriter();
        frames.Write(new ManagerHelloMessage(new byte[SharingAddress.KeyBytes]));
        await using var stream = new NetworkStream(socket);
        await frames.FlushToAsync(stream);
        Assert.Equal(0, await stream.ReadAsync(new byte[64]));

        var queue = manager.CreateQueue<int>();
        await queue.PutAsync(1);
        Assert.Equal(1, await queue.GetAsync());
    }

    [Fact]
    public async Task A_client_announcing_an_oversized_frame_is_cut_off_before_anything_is_buffered()
    {
        await using var manager = ProcessManager.Start();
        using var socket = await ConnectAsync(manager);
        var header = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(header, uint.MaxValue);
        await socket.SendAsync(header);
        Assert.Equal(0, await socket.ReceiveAsync(new byte[64]));
    }

    private static async Task<Socket> ConnectAsync(ProcessManager manager)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(manager.SocketPath));
        return socket;
    }
}
