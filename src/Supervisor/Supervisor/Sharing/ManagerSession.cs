using System.Buffers;
using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Security.Cryptography;
using Supervisor.Protocol;
using Supervisor.Protocol.Framing;

namespace Supervisor.Sharing;

/// <summary>
/// One client process's connection to the manager. The first frame must carry the auth key; then each request runs
/// on its own, so a blocking get does not hold up the client's other calls, and answers go back as they complete.
/// Frames are untrusted: a protocol error ends the connection. When it ends, the client's waiting requests are
/// cancelled (a cancelled get takes no item) and the pipe ends it used are closed, so their other ends see the end.
/// </summary>
internal sealed class ManagerSession : IFrameHandler, IAsyncDisposable
{
    // A client waits on a few gets at a time; thousands at once is a client gone wrong.
    private const int MaxRunningRequests = 4096;

    private readonly NetworkStream _stream;
    private readonly HostedObjects _objects;
    private readonly byte[] _authKey;
    private readonly FrameWriter _frames = new(WireProtocol.DefaultMaxFrameBytes, initialCapacity: 4 * 1024);
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly CancellationTokenSource _ending = new();
    private readonly ConcurrentDictionary<long, CancellationTokenSource> _running = new();
    private readonly ConcurrentDictionary<HostedPipeEnd, byte> _pipeEnds = new();
    private readonly Action<HostedPipeEnd> _onPipeEnd;
    private readonly TimeSpan _handshakeTimeout;
    private bool _authenticated;

    /// <param name="socket">The client's connection.</param>
    /// <param name="objects">What the manager hosts.</param>
    /// <param name="authKey">The key the client's first frame must carry.</param>
    /// <param name="handshakeTimeout">How long the connection may stay open without that frame.</param>
    public ManagerSession(Socket socket, HostedObjects objects, byte[] authKey, TimeSpan handshakeTimeout)
    {
        _stream = new NetworkStream(socket, ownsSocket: true);
        _objects = objects;
        _authKey = authKey;
        _handshakeTimeout = handshakeTimeout;
        _onPipeEnd = end => _pipeEnds.TryAdd(end, 0);
    }

    /// <summary>Serves the connection until it ends, breaks the protocol, or the session is disposed.</summary>
    public async Task RunAsync()
    {
        var reader = new FrameReader(_stream);
        await using (reader.ConfigureAwait(false))
        {
            // Whoever connects without presenting the key is cut off, instead of holding the connection forever.
            _ending.CancelAfter(_handshakeTimeout);
            try
            {
                while (await reader.ReadAsync(this, _ending.Token).ConfigureAwait(false))
                {
                }
            }
            catch (Exception e) when (ProtocolErrors.IsProtocolError(e) || e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
            {
                // The client is gone, was stopped, or broke the protocol: either way it is cut off below.
            }
        }
        await EndAsync().ConfigureAwait(false);
    }

    public void OnFrame(ReadOnlySequence<byte> payload)
    {
        if (!_authenticated)
        {
            if (!CryptographicOperations.FixedTimeEquals(SharingWire.ReadHello(payload), _authKey))
            {
                throw new ProtocolException("A client presented a wrong auth key.");
            }
            _authenticated = true;
            _ending.CancelAfter(Timeout.InfiniteTimeSpan);
            _ = AnswerAsync(SharingWire.HandshakeId, SharingResponse.Ok);
            return;
        }
        var (id, request) = SharingWire.ReadRequest(payload);
        if (request.Operation == SharingOperation.Cancel)
        {
            Cancel(request.ObjectId);
            return;
        }
        if (_running.Count >= MaxRunningRequests) throw new ProtocolException($"A client ran more than {MaxRunningRequests} requests at once.");
        var stop = CancellationTokenSource.CreateLinkedTokenSource(_ending.Token);
        if (!_running.TryAdd(id, stop))
        {
            stop.Dispose();
            throw new ProtocolException($"A client reused request id {id} while it was running.");
        }
        _ = RunAsync(id, request, stop);
    }

    /// <summary>Cuts the client off and waits for nothing: its requests see the cancellation.</summary>
    public async ValueTask DisposeAsync()
    {
        await _ending.CancelAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
    }

    private async Task RunAsync(long id, SharingRequest request, CancellationTokenSource stop)
    {
        SharingResponse response;
        try
        {
            response = await _objects.InvokeAsync(request, _onPipeEnd, stop.Token).ConfigureAwait(false);
        }
        finally
        {
            _running.TryRemove(id, out _);
            stop.Dispose();
        }
        await AnswerAsync(id, response).ConfigureAwait(false);
    }

    private void Cancel(long id)
    {
        if (!_running.TryGetValue(id, out var stop)) return; // it finished first: its answer is on its way
        try
        {
            stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // It finished between the lookup and the cancel.
        }
    }

    private async Task AnswerAsync(long id, SharingResponse response)
    {
        await _writeGate.WaitAsync().ConfigureAwait(false);
        try
        {
            _frames.Write(new ManagerResponseMessage(id, response));
            await _frames.FlushToAsync(_stream).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // The client is gone; the read loop ends the session.
            _frames.Reset();
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private async Task EndAsync()
    {
        await _ending.CancelAsync().ConfigureAwait(false);
        foreach (var end in _pipeEnds.Keys) end.Close();
        await _stream.DisposeAsync().ConfigureAwait(false);
    }
}
