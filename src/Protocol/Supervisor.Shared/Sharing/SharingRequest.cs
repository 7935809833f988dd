namespace Supervisor.Sharing;

/// <summary>One operation on one hosted object.</summary>
/// <param name="Operation">What to do.</param>
/// <param name="ObjectId">The object, as the manager numbered it (for <see cref="SharingOperation.Cancel"/>, the request to stop).</param>
/// <param name="TimeoutMilliseconds">How long to wait: −1 without limit, 0 not at all.</param>
/// <param name="Payload">The serialized item for a put, else empty. An array of its own (read off the socket, or encoded for
/// this request), so the hosted object keeps it without a copy.</param>
internal readonly record struct SharingRequest(SharingOperation Operation, long ObjectId, long TimeoutMilliseconds, byte[] Payload);
