using System.Buffers;
using MessagePack;
using Supervisor.Protocol.Framing;
using Supervisor.Protocol.Serialization;

namespace Supervisor.Sharing;

/// <summary>
/// One hosted object as a proxy reaches it: the endpoint, the object's id and kind. Turns answers into the
/// exceptions the proxies document, and items into bytes (checked first, as every argument is) and back.
/// </summary>
internal sealed class SharedHandle(ISharingEndpoint endpoint, long objectId, SharedObjectKind kind)
{
    /// <summary>The words for an object whose manager is gone.</summary>
    public const string DisposedReason = "its ProcessManager was disposed, so no process can reach it any more";

    public ISharingEndpoint Endpoint => endpoint;

    public long ObjectId => objectId;

    public SharedObjectKind Kind => kind;

    /// <summary>Runs <paramref name="operation"/> and returns the answer, or throws for a cancelled or refused one.</summary>
    /// <exception cref="ObjectDisposedException">The manager was disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    /// <exception cref="InvalidOperationException">The manager refused the operation (its message says why).</exception>
    /// <exception cref="IOException">The manager cannot be reached.</exception>
    public async Task<SharingResponse> CallAsync(
        SharingOperation operation, TimeSpan timeout, byte[] payload, CancellationToken cancellationToken)
    {
        if (endpoint.IsClosed) throw new ObjectDisposedException(nameof(SharedHandle), $"This {kind} cannot be used: {DisposedReason}.");
        var request = new SharingRequest(operation, objectId, ToMilliseconds(timeout), payload);
        var response = await endpoint.InvokeAsync(request, cancellationToken).ConfigureAwait(false);
        return response.Status switch
        {
            SharingStatus.Cancelled => throw new OperationCanceledException(cancellationToken),
            SharingStatus.Refused => throw new InvalidOperationException(response.Reason),
            _ => response,
        };
    }

    /// <summary>Checks that <paramref name="item"/> can cross and serializes it by its declared type.</summary>
    /// <exception cref="UnserializableValueException">It cannot cross (the message names <paramref name="path"/>).</exception>
    public byte[] Encode<T>(T item, string path)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        endpoint.Checker.Write(ref writer, item, path);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads an item taken from the object as a <typeparamref name="T"/>.</summary>
    public static T Decode<T>(SharingResponse response) =>
        MessagePackSerializer.Deserialize<T>(response.Payload ?? [], WireSerializer.Options);

    /// <summary>The error for an answer the operation cannot have: the manager broke the protocol.</summary>
    public static ProtocolException Unexpected(SharingResponse response, SharingOperation operation) =>
        new($"The manager answered a {operation} with {response.Status}.");

    /// <summary>−1 for no limit, else whole milliseconds (rounded up, so a tiny timeout still waits).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative (other than infinite) or longer than about 24 days.</exception>
    public static long ToMilliseconds(TimeSpan timeout)
    {
        if (timeout == Timeout.InfiniteTimeSpan) return -1;
        if (timeout < TimeSpan.Zero || timeout.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout,
                "A timeout must be zero (do not wait), positive (up to about 24 days), or Timeout.InfiniteTimeSpan.");
        }
        return (long)Math.Ceiling(timeout.TotalMilliseconds);
    }
}
