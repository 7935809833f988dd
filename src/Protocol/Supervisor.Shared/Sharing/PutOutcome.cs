namespace Supervisor.Sharing;

/// <summary>How a <see cref="SharedQueue{T}.TryPutAsync"/> ended.</summary>
public enum PutOutcome
{
    /// <summary>The item is in the queue.</summary>
    Added = 1,

    /// <summary>The queue stayed full for the whole timeout (Python's <c>queue.Full</c>); the item was not added.</summary>
    Full = 2,

    /// <summary>The queue is closed: no more items are accepted.</summary>
    Closed = 3,
}
