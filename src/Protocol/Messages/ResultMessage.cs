using MessagePack;

namespace Supervisor.Protocol.Messages;

/// <summary>
/// The head of one call's successful outcome; the returned value follows in the same array as a complete
/// MessagePack value.
/// </summary>
/// <param name="TaskId">The task the call belongs to.</param>
/// <param name="Item">The call's position within its task (0 for a single call).</param>
/// <param name="ElapsedMicroseconds">How long the call ran in the worker, for the dispatcher's window.</param>
public readonly record struct ResultMessage(long TaskId, int Item, long ElapsedMicroseconds)
{
    internal const int FieldCount = 4;

    /// <summary>Writes the head; the caller writes the value right after.</summary>
    public void WriteHead(ref MessagePackWriter writer)
    {
        Envelope.WriteHeader(ref writer, MessageKind.Result, FieldCount);
        writer.Write(TaskId);
        writer.Write(Item);
        writer.Write(ElapsedMicroseconds);
    }

    /// <summary>Reads the head; the reader is left at the value.</summary>
    public static ResultMessage ReadHead(ref MessagePackReader reader) =>
        new(reader.ReadInt64(), reader.ReadInt32(), reader.ReadInt64());
}
