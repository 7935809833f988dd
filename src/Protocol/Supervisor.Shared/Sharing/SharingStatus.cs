namespace Supervisor.Sharing;

/// <summary>How a request on a manager's socket ended.</summary>
internal enum SharingStatus : byte
{
    /// <summary>Done; <see cref="SharingResponse.Value"/> holds a count or a flag when the operation has one.</summary>
    Ok = 1,

    /// <summary>An item was taken; it is the payload.</summary>
    Item = 2,

    /// <summary>The queue stayed full for the whole timeout.</summary>
    Full = 3,

    /// <summary>The queue stayed empty for the whole timeout.</summary>
    Empty = 4,

    /// <summary>The queue or pipe is closed (and, for a get, drained).</summary>
    Ended = 5,

    /// <summary>The caller cancelled the request before it completed.</summary>
    Cancelled = 6,

    /// <summary>The request makes no sense for the object; the payload is the reason, in UTF-8.</summary>
    Refused = 7,
}
