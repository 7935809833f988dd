using MessagePack;

namespace Supervisor.Protocol.Messages;

/// <summary>
/// A worker's answer to a <see cref="ProbeMessage"/>: the call it runs now. It follows the results of every call
/// that ended before it, in the same write, so it names the first call of its task that has no answer yet.
/// </summary>
/// <param name="TaskId">The task, as its <see cref="TaskMessage"/> named it.</param>
/// <param name="Item">The call's position within the task as sent.</param>
internal readonly record struct RunningMessage(long TaskId, int Item) : IFrameMessage
{
    internal const int FieldCount = 2;

    /// <summary>Writes the message, envelope included.</summary>
    public void Write(ref MessagePackWriter writer)
    {
        Envelope.WriteHeader(ref writer, MessageKind.Running, FieldCount);
        writer.Write(TaskId);
        writer.Write(Item);
    }

    /// <summary>Reads the fields that follow the envelope.</summary>
    public static RunningMessage Read(ref MessagePackReader reader) => new(reader.ReadInt64(), reader.ReadInt32());
}
