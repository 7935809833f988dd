namespace Supervisor.Sharing;

/// <summary>How a <see cref="SharedQueue{T}.TryGetAsync"/> ended.</summary>
public enum GetOutcome
{
    /// <summary>An item was taken: it is <see cref="GetResult{T}.Item"/>.</summary>
    Item = 1,

    /// <summary>The queue stayed empty for the whole timeout (Python's <c>queue.Empty</c>); more items may still come.</summary>
    Empty = 2,

    /// <summary>The queue is closed and drained: no item will ever come. Stop reading.</summary>
    Ended = 3,
}
