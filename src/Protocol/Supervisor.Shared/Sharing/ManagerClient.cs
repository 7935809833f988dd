using System.Buffers;
using System.Collections.Concurrent;
using System.Net.Sockets;
using Supervisor.Protocol;
using Supervisor.Protocol.Framing;
using Supervisor.Protocol.Serialization;

namespace Supervisor.Sharing;

/// <summary>
/// This process's one connection to a manager in another process: connected on first use, authenticated with the
/// key, multiplexed (each request carries an id; a blocking get does not hold up other calls). If the connection
/// ends, every waiting call and every later one fails with an <see cref="IOException"/> that says so, and the
/// client leaves <see cref="SharingEndpoints"/>: a reference read after that connects anew (and is refused at once
/// if the manager is gone).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable",
    Justification = "Lives as long as its process: the connection closes when the process exits or the manager goes away.")]
internal sealed class ManagerClient(SharingAddress address) : ISharingEndpoint, IFrameHandler
{
    private readonly ConcurrentDictionary<long, TaskCompletionSource<SharingResponse>> _pending = new();
    // Guards connecting and writing: a frame must leave whole, so a write is never cancelled half-way.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly FrameWriter _frames = new(WireProtocol.DefaultMaxFrameBytes, initialCapacity: 4 * 1024);
    private NetworkStream? _stream;
    private IOException? _failure;
    private long _lastRequestId = SharingWire.HandshakeId;

    public SharingAddress Address => address;

    // A remote manager's end is only learnt by trying to reach it.
    public bool IsClosed => false;

    public SerializabilityChecker Checker { get; } = new(WireSerializer.Options);

    public async ValueTask<SharingResponse> InvokeAsync(SharingRequest request, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _lastRequestId);
        var answer = Expect(id);
        try
        {
            await SendAsync(id, request, connect: true).ConfigureAwait(false);
        }
        catch
        {
            // Never sent (too large a frame, say): nothing will answer it.
            _pending.TryRemove(id, out _);
            throw;
        }
        // Cancelling asks the manager to stop; its answer still comes (cancelled, or the item taken first), so nothing is lost.
        await using var registration = cancellationToken.Register(() => _ = CancelAsync(id)).ConfigureAwait(false);
        return await answer.ConfigureAwait(false);
    }

    public void OnFrame(ReadOnlySequence<byte> payload)
    {
        var (id, response) = SharingWire.ReadResponse(payload);
        if (!_pending.TryRemove(id, out var answer)) throw new ProtocolException($"The manager answered request {id}, which is not waiting.");
        answer.TrySetResult(response);
    }

    private Task<SharingResponse> Expect(long id)
    {
        var answer = new TaskCompletionSource<SharingResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        if (Volatile.Read(ref _failure) is { } failure && _pending.TryRemove(id, out _)) answer.TrySetException(failure);
        return answer.Task;
    }

    private async Task SendAsync(long id, SharingRequest request, bool connect)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_failure is { } failure) throw failure;
            if (_stream is null)
            {
                if (!connect) return;
                await ConnectAsync().ConfigureAwait(false);
            }
            SharingWire.WriteRequest(_frames, id, request);
            await _frames.FlushToAsync(_stream!).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
        {
            _frames.Reset();
            Fail(e);
            if (_pending.TryRemove(id, out var answer)) answer.TrySetException(_failure!);
        }
        finally
        {
            _gate.Release();
        }
    }

    // Under the gate. The handshake answer comes through the read loop like any other.
    private async Task ConnectAsync()
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(address.SocketPath)).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new IOException(
                $"Cannot reach the ProcessManager at '{address.SocketPath}' ({e.Message}): it was disposed, or its process exited, " +
                "before this process used the shared object. Keep the manager alive until the processes using it are done.", e);
        }
        _stream = new NetworkStream(socket, ownsSocket: true);
        var welcome = Expect(SharingWire.HandshakeId);
        _ = ReadLoopAsync(_stream);
        SharingWire.WriteHello(_frames, address.AuthKey);
        await _frames.FlushToAsync(_stream).ConfigureAwait(false);
        var answer = await welcome.ConfigureAwait(false);
        if (answer.Status != SharingStatus.Ok) throw new IOException($"The ProcessManager at '{address.SocketPath}' refused this process: {answer.Reason}.");
    }

    private async Task ReadLoopAsync(Stream stream)
    {
        var reader = new FrameReader(stream);
        await using (reader.ConfigureAwait(false))
        {
            try
            {
                while (await reader.ReadAsync(this).ConfigureAwait(false))
                {
                }
                Fail(new EndOfStreamException("the manager closed the connection"));
            }
            catch (Exception e) when (ProtocolErrors.IsProtocolError(e) || e is IOException or SocketException or ObjectDisposedException)
            {
                Fail(e);
            }
        }
    }

    private async Task CancelAsync(long id)
    {
        if (_pending.ContainsKey(id)) await SendAsync(0, new SharingRequest(SharingOperation.Cancel, id, 0, []), connect: false).ConfigureAwait(false);
    }

    // The first failure wins; it fails every waiting call and every later one. The client is forgotten before a
    // waiting call learns of the failure, so a caller that saw it never finds this client again.
    private void Fail(Exception cause)
    {
        var failure = new IOException(
            $"The connection to the ProcessManager at '{address.SocketPath}' ended ({cause.Message}): the manager was disposed or its process exited.",
            cause);
        if (Interlocked.CompareExchange(ref _failure, failure, null) is not null) return;
        SharingEndpoints.Remove(this);
        _stream?.Dispose();
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var answer)) answer.TrySetException(failure);
        }
    }
}
