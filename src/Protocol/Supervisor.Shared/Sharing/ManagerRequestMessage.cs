using MessagePack;
using Supervisor.Protocol.Framing;
using Supervisor.Protocol.Messages;

namespace Supervisor.Sharing;

/// <summary>One operation on a shared object, numbered so that its answer can come back out of order.</summary>
/// <param name="Id">The request's id, echoed by its response.</param>
/// <param name="Request">The operation.</param>
internal readonly record struct ManagerRequestMessage(long Id, SharingRequest Request) : IFrameMessage
{
    internal const int FieldCount = 5;

    /// <summary>Writes the message, envelope included.</summary>
    public void Write(ref MessagePackWriter writer)
    {
        Envelope.WriteHeader(ref writer, MessageKind.ManagerRequest, FieldCount);
        writer.Write(Id);
        writer.Write((byte)Request.Operation);
        writer.Write(Request.ObjectId);
        writer.Write(Request.TimeoutMilliseconds);
        SharingWire.WritePayload(ref writer, Request.Payload);
    }

    /// <summary>Reads the fields that follow the envelope.</summary>
    /// <exception cref="ProtocolException">An unknown operation or a timeout out of range.</exception>
    public static ManagerRequestMessage Read(ref MessagePackReader reader)
    {
        var id = reader.ReadInt64();
        var operation = (SharingOperation)reader.ReadByte();
        if (!Enum.IsDefined(operation)) throw new ProtocolException($"Unknown manager operation {(byte)operation}.");
        var objectId = reader.ReadInt64();
        var timeout = reader.ReadInt64();
        if (timeout is < -1 or > int.MaxValue) throw new ProtocolException($"A request's timeout of {timeout} ms is out of range.");
        var bytes = SharingWire.ReadPayload(ref reader);
        return new(id, new SharingRequest(operation, objectId, timeout, bytes ?? []));
    }
}
