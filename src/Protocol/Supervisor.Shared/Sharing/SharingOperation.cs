namespace Supervisor.Sharing;

/// <summary>What a request on a manager's socket asks of the object it names.</summary>
internal enum SharingOperation : byte
{
    /// <summary>Add the payload (a queue's put, a pipe's send), waiting up to the timeout for room.</summary>
    Put = 1,

    /// <summary>Take the next item (a queue's get, a pipe's receive), waiting up to the timeout for one.</summary>
    Get = 2,

    /// <summary>How many items wait now.</summary>
    Count = 3,

    /// <summary>No more puts: getters drain what is left, then see the end (a queue's close, a pipe end's close).</summary>
    Close = 4,

    /// <summary>A joinable queue's task_done.</summary>
    TaskDone = 5,

    /// <summary>A joinable queue's join: wait until every item put has been marked done.</summary>
    Join = 6,

    /// <summary>Whether a get would not wait (an item, or the end), waiting up to the timeout.</summary>
    Poll = 7,

    /// <summary>Stop the running request whose id is the object id; it is answered as cancelled, or with what it got first.</summary>
    Cancel = 8,
}
