using MessagePack;

namespace Supervisor.Protocol.Messages;

/// <summary>
/// Stands for a frame written into the connection's shared memory: the reader takes the frame from
/// <paramref name="Slot"/>, <paramref name="Length"/> bytes, handles it as if it had come through the pipe, then frees
/// the slot. Both fields are checked against the reader's own layout (<see cref="Payloads.InboundSlots"/>).
/// </summary>
/// <param name="Slot">The slot, among those of the writer's direction.</param>
/// <param name="Length">The frame's payload length.</param>
internal readonly record struct PayloadMessage(int Slot, int Length) : IFrameMessage
{
    internal const int FieldCount = 2;

    /// <summary>Writes the message, envelope included.</summary>
    public void Write(ref MessagePackWriter writer)
    {
        Envelope.WriteHeader(ref writer, MessageKind.Payload, FieldCount);
        writer.Write(Slot);
        writer.Write(Length);
    }

    /// <summary>Reads the fields that follow the envelope.</summary>
    public static PayloadMessage Read(ref MessagePackReader reader) => new(reader.ReadInt32(), reader.ReadInt32());
}
