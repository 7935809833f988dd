namespace Supervisor.Protocol.Messages;

/// <summary>
/// The first element of every frame's MessagePack array. Values are part of the wire format: never renumber.
/// </summary>
internal enum MessageKind : byte
{
    /// <summary>Worker → supervisor, first frame: protocol version, worker id, process id.</summary>
    Hello = 1,

    /// <summary>Supervisor → worker: binds a function id to a method the worker resolves once.</summary>
    Define = 2,

    /// <summary>Supervisor → worker: one call or a chunk of calls of a defined function.</summary>
    Task = 3,

    /// <summary>Worker → supervisor: the value one call returned.</summary>
    Result = 4,

    /// <summary>Worker → supervisor: the exception one call threw, or why its result could not be sent.</summary>
    Error = 5,

    /// <summary>Supervisor → worker: no more tasks will come; finish, flush and exit with code 0.</summary>
    EndOfQueue = 6,

    /// <summary>Supervisor → worker: the caller cancelled a task; stop it through its token, or skip it if it has not started.</summary>
    Cancel = 7,

    /// <summary>
    /// Supervisor → worker, before any task (start method fork): values of static members to assign, the parent's
    /// snapshot at the worker's start. Answered like a call: a Result (nil) or an Error.
    /// </summary>
    Inherit = 8,

    /// <summary>
    /// Supervisor → worker: a call passed the task timeout; send the results gathered so far and say which call runs.
    /// Read on the worker's pipe thread, while the call runs.
    /// </summary>
    Probe = 9,

    /// <summary>Worker → supervisor, answering a Probe: the task and the call within it that runs now.</summary>
    Running = 10,

    /// <summary>Client → manager, first frame on a manager's socket: magic, version, the manager's key.</summary>
    ManagerHello = 11,

    /// <summary>Client → manager: one operation on a shared object, with the id its answer carries.</summary>
    ManagerRequest = 12,

    /// <summary>Manager → client: the answer to a request, by its id.</summary>
    ManagerResponse = 13,

    /// <summary>
    /// Either way on a worker's pipes: the next frame lies in a slot of the connection's shared memory (slot, length),
    /// where a frame too large for the pipe's kernel copies was written (see <see cref="Payloads.PayloadArena"/>).
    /// </summary>
    Payload = 14,
}
