using MessagePack;

namespace Supervisor.Protocol.Messages;

/// <summary>One call failed: the remote exception's type name, message and stack trace, as text only.</summary>
/// <param name="TaskId">The task the call belongs to.</param>
/// <param name="Item">The call's position within its task.</param>
/// <param name="Error">What went wrong, as text.</param>
internal readonly record struct ErrorMessage(long TaskId, int Item, RemoteError Error) : IFrameMessage
{
    internal const int FieldCount = 5;

    /// <summary>Writes the message, envelope included.</summary>
    public void Write(ref MessagePackWriter writer)
    {
        Envelope.WriteHeader(ref writer, MessageKind.Error, FieldCount);
        writer.Write(TaskId);
        writer.Write(Item);
        writer.Write(Error.Type);
        writer.Write(Error.Message);
        writer.Write(Error.StackTrace);
    }

    /// <summary>Reads the fields that follow the envelope.</summary>
    public static ErrorMessage Read(ref MessagePackReader reader) => new(
        reader.ReadInt64(),
        reader.ReadInt32(),
        new RemoteError(
            WireStrings.Read(ref reader, "error type"),
            WireStrings.Read(ref reader, "error message"),
            reader.ReadString() ?? ""));
}
