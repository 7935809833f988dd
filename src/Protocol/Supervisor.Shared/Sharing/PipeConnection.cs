using System.Runtime.CompilerServices;

namespace Supervisor.Sharing;

/// <summary>
/// One end of Python's <c>multiprocessing.Pipe()</c>, hosted by a <c>ProcessManager</c>: send to the other end,
/// receive what it sent, poll. It can be passed to a worker process as an argument declared with this type.
/// When the other end is closed, or the process that used it exits, a receive gets <see cref="EndOfStreamException"/>
/// once every message sent before has been received: never a hang.
/// </summary>
/// <remarks>
/// Closing an end closes it for every process: hand each end to one process and let that process close it
/// (or exit). A process that exits without ever using its end cannot be noticed; close ends that go unused.
/// Each operation has a synchronous form (<see cref="Send"/>, <see cref="Receive"/>, …) for synchronous functions: it
/// blocks the calling thread until the manager answers.
/// </remarks>
/// <typeparam name="T">The message type; both ends must use the same.</typeparam>
public sealed class PipeConnection<T> : ISharedReference<PipeConnection<T>>, IAsyncDisposable
{
    private readonly SharedHandle _handle;

    private PipeConnection(SharedHandle handle) => _handle = handle;

    SharedHandle ISharedReference.Handle => _handle;

    /// <summary>Sends <paramref name="message"/> to the other end.</summary>
    /// <exception cref="EndOfStreamException">The other end is closed: nobody will receive it.</exception>
    /// <exception cref="InvalidOperationException">This is the receiving end of a one-way pipe.</exception>
    /// <exception cref="UnserializableValueException">The message cannot cross a process boundary.</exception>
    public async Task SendAsync(T message, CancellationToken cancellationToken = default)
    {
        var response = await _handle.CallAsync(SharingOperation.Put, Timeout.InfiniteTimeSpan, _handle.Encode(message, "message"), cancellationToken)
            .ConfigureAwait(false);
        if (response.Status == SharingStatus.Ended) throw new EndOfStreamException("The other end of the pipe is closed (or its process exited): nobody will receive this message.");
        if (response.Status != SharingStatus.Ok) throw SharedHandle.Unexpected(response, SharingOperation.Put);
    }

    /// <summary>Sends <paramref name="message"/> to the other end, blocking until the manager has it (see <see cref="SendAsync"/>).</summary>
    /// <exception cref="EndOfStreamException">The other end is closed: nobody will receive it.</exception>
    public void Send(T message, CancellationToken cancellationToken = default) => SendAsync(message, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Receives the next message, blocking until one comes (see <see cref="ReceiveAsync"/>).</summary>
    /// <exception cref="EndOfStreamException">The other end closed and every message it sent has been received.</exception>
    public T Receive(CancellationToken cancellationToken = default) => ReceiveAsync(cancellationToken).GetAwaiter().GetResult();

    /// <summary>Whether a receive would not wait, blocking up to <paramref name="timeout"/> for that (see <see cref="PollAsync"/>).</summary>
    public bool Poll(TimeSpan timeout = default, CancellationToken cancellationToken = default) =>
        PollAsync(timeout, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Closes this end for every process, blocking until the manager has (see <see cref="CloseAsync"/>).</summary>
    public void Close() => CloseAsync().GetAwaiter().GetResult();

    /// <summary>Receives the next message, waiting for one.</summary>
    /// <exception cref="EndOfStreamException">The other end closed (or its process exited) and every message it sent has been received.</exception>
    /// <exception cref="InvalidOperationException">This is the sending end of a one-way pipe.</exception>
    public async Task<T> ReceiveAsync(CancellationToken cancellationToken = default) =>
        await ReceiveCoreAsync(cancellationToken).ConfigureAwait(false) is { Status: SharingStatus.Item } response
            ? SharedHandle.Decode<T>(response)
            : throw new EndOfStreamException(
                "The other end of the pipe closed (or its process exited) and every message it sent has been received.");

    /// <summary>Every message until the other end closes (or its process exits); then the loop ends.</summary>
    public async IAsyncEnumerable<T> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await ReceiveCoreAsync(cancellationToken).ConfigureAwait(false) is { Status: SharingStatus.Item } response)
        {
            yield return SharedHandle.Decode<T>(response);
        }
    }

    /// <summary>
    /// Whether a receive would not wait (a message is there, or the other end is closed), waiting up to
    /// <paramref name="timeout"/> for that (zero, the default: do not wait).
    /// </summary>
    public async Task<bool> PollAsync(TimeSpan timeout = default, CancellationToken cancellationToken = default)
    {
        var response = await _handle.CallAsync(SharingOperation.Poll, timeout, [], cancellationToken)
            .ConfigureAwait(false);
        return response.Value != 0;
    }

    /// <summary>Closes this end for every process: the other end receives what was sent, then the end of the stream.</summary>
    public async Task CloseAsync(CancellationToken cancellationToken = default) =>
        await _handle.CallAsync(SharingOperation.Close, TimeSpan.Zero, [], cancellationToken).ConfigureAwait(false);

    /// <summary>Closes this end, unless its manager is gone already (which closed it).</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_handle.Endpoint.IsClosed) await CloseAsync().ConfigureAwait(false);
    }

    // An item, or the end; anything else breaks the protocol.
    private async Task<SharingResponse> ReceiveCoreAsync(CancellationToken cancellationToken)
    {
        var response = await _handle.CallAsync(SharingOperation.Get, Timeout.InfiniteTimeSpan, [], cancellationToken)
            .ConfigureAwait(false);
        return response.Status is SharingStatus.Item or SharingStatus.Ended ? response : throw SharedHandle.Unexpected(response, SharingOperation.Get);
    }

    static bool ISharedReference<PipeConnection<T>>.CanRead(SharedObjectKind kind) => kind == SharedObjectKind.PipeEnd;

    static PipeConnection<T> ISharedReference<PipeConnection<T>>.Attach(SharedHandle handle) => new(handle);
}
