namespace Supervisor.Sharing;

/// <summary>What a shared object reference points at; the order of the queue kinds is "can do at least as much as".</summary>
internal enum SharedObjectKind : byte
{
    /// <summary>A <see cref="SharedSimpleQueue{T}"/>: put, get, close.</summary>
    SimpleQueue = 1,

    /// <summary>A <see cref="SharedQueue{T}"/>: a simple queue with a maximum size, timeouts and a count.</summary>
    Queue = 2,

    /// <summary>A <see cref="SharedJoinableQueue{T}"/>: a queue with task_done and join.</summary>
    JoinableQueue = 3,

    /// <summary>One end of a pipe: a <see cref="PipeConnection{T}"/>.</summary>
    PipeEnd = 4,
}
