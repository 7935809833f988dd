using MessagePack;
using Supervisor.Protocol.Framing;
using Supervisor.Protocol.Messages;

namespace Supervisor.Sharing;

/// <summary>The manager's answer to one request, by the request's id.</summary>
/// <param name="Id">The request's id (<see cref="SharingWire.HandshakeId"/> answers the hello).</param>
/// <param name="Response">The answer.</param>
internal readonly record struct ManagerResponseMessage(long Id, SharingResponse Response) : IFrameMessage
{
    internal const int FieldCount = 4;

    /// <summary>Writes the message, envelope included.</summary>
    public void Write(ref MessagePackWriter writer)
    {
        Envelope.WriteHeader(ref writer, MessageKind.ManagerResponse, FieldCount);
        writer.Write(Id);
        writer.Write((byte)Response.Status);
        writer.Write(Response.Value);
        SharingWire.WritePayload(ref writer, Response.Payload);
    }

    /// <summary>Reads the fields that follow the envelope.</summary>
    /// <exception cref="ProtocolException">An unknown status.</exception>
    public static ManagerResponseMessage Read(ref MessagePackReader reader)
    {
        var id = reader.ReadInt64();
        var status = (SharingStatus)reader.ReadByte();
        if (!Enum.IsDefined(status)) throw new ProtocolException($"Unknown manager status {(byte)status}.");
        var value = reader.ReadInt64();
        var bytes = SharingWire.ReadPayload(ref reader);
        return new(id, new SharingResponse(status, value, bytes));
    }
}
