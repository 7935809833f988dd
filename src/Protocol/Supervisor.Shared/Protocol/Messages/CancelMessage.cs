using MessagePack;

namespace Supervisor.Protocol.Messages;

/// <summary>
/// The caller no longer wants a task. The worker cancels the token of the call running it, and answers every call
/// of it not yet started with an error without running it. A task the worker already finished is ignored: the
/// message and the answer may cross in the pipes.
/// </summary>
/// <param name="TaskId">The task, as its <see cref="TaskMessage"/> named it.</param>
internal readonly record struct CancelMessage(long TaskId) : IFrameMessage
{
    internal const int FieldCount = 1;

    /// <summary>Writes the message, envelope included.</summary>
    public void Write(ref MessagePackWriter writer)
    {
        Envelope.WriteHeader(ref writer, MessageKind.Cancel, FieldCount);
        writer.Write(TaskId);
    }

    /// <summary>Reads the fields that follow the envelope.</summary>
    public static CancelMessage Read(ref MessagePackReader reader) => new(reader.ReadInt64());
}
