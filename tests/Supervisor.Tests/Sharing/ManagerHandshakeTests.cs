using System.Net.Sockets;
using Supervisor.Protocol.Framing;
using Supervisor.Sharing;

namespace Supervisor.Tests.Sharing;

/// <summary>
/// The manager's socket is open to any process of this user: a connection that does not present the key at once (no
/// hello, a wrong key, garbage) is cut off, and one that says nothing is not kept open forever.
/// </summary>
public sealed class ManagerHandshakeTests
{
    [Fact]
    public async Task A_connection_that_never_says_hello_is_cut_off_after_the_handshake_timeout()
    {
        await using var manager = ProcessManager.Start(TimeSpan.FromMilliseconds(200));
        using var socket = await ConnectAsync(manager);
        await AssertCutOffAsync(socket);
    }

    [Theory]
    [InlineData("wrong-key")]
    [InlineData("garbage")]
    [InlineData("oversize")]
    [InlineData("request-before-hello")]
    public async Task A_connection_that_fails_the_handshake_is_cut_off_and_the_manager_serves_others(string mode)
    {
        // A long timeout: the cut comes from what was sent, not from silence.
        await using var manager = ProcessManager.Start(TimeSpan.FromMinutes(5));
        using (var socket = await ConnectAsync(manager))
        {
            using var frames = new FrameWriter();
            switch (mode)
            {
                case "wrong-key":
                    frames.Write(new ManagerHelloMessage(new byte[SharingAddress.KeyBytes]));
                    break;
                case "garbage":
                    frames.Write("\x05\x00\x00\x00\xC1\xC1\xC1\xC1\xC1"u8);
                    break;
                case "oversize":
                    frames.Write("\xFF\xFF\xFF\x7F"u8);
                    break;
                default:
                    frames.Write(new ManagerRequestMessage(1, new SharingRequest(SharingOperation.Get, 1, 0, [])));
                    break;
            }
            await using (var stream = new NetworkStream(socket, ownsSocket: false)) await frames.FlushToAsync(stream);
            await AssertCutOffAsync(socket);
        }
        // The manager goes on: a client with the key is answered.
        var key = ((ISharedReference)manager.CreateQueue<int>()).Handle.Endpoint.Address.AuthKey;
        using var proper = await ConnectAsync(manager);
        await using var properStream = new NetworkStream(proper, ownsSocket: false);
        using (var hello = new FrameWriter())
        {
            hello.Write(new ManagerHelloMessage(key));
            await hello.FlushToAsync(properStream);
        }
        await using var reader = new FrameReader(properStream);
        var answer = new FirstFrame();
        while (!answer.Seen && await reader.ReadAsync(answer)) { }
        Assert.True(answer.Seen);
    }

    private sealed class FirstFrame : IFrameHandler
    {
        public bool Seen { get; private set; }

        public void OnFrame(System.Buffers.ReadOnlySequence<byte> payload) => Seen = true;
    }

    private static async Task<Socket> ConnectAsync(ProcessManager manager)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(manager.SocketPath));
        return socket;
    }

    // The manager closes its end: a read sees the end of the stream (or a reset), however long it waits.
    private static async Task AssertCutOffAsync(Socket socket)
    {
        var buffer = new byte[256];
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, limit.Token) > 0) { }
        }
        catch (SocketException)
        {
        }
    }
}
