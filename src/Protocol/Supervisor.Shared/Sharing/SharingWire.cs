using System.Buffers;
using MessagePack;
using Supervisor.Protocol.Framing;
using Supervisor.Protocol.Messages;

namespace Supervisor.Sharing;

/// <summary>
/// Reads the frames on a manager's socket: each one message in the task wire's <see cref="Envelope"/>
/// (<see cref="ManagerHelloMessage"/>, <see cref="ManagerRequestMessage"/>, <see cref="ManagerResponseMessage"/>),
/// written with <see cref="FrameWriter.Write{TMessage}"/>. Both directions are read as untrusted: another kind, a
/// wrong field count, an unknown operation or status, a timeout out of range or trailing bytes are protocol errors
/// that end the connection.
/// </summary>
internal static class SharingWire
{
    /// <summary>The id the manager answers a hello with.</summary>
    public const long HandshakeId = 0;

    /// <summary>The auth key a hello carries.</summary>
    public static byte[] ReadHello(ReadOnlySequence<byte> payload) =>
        Read(payload, MessageKind.ManagerHello, static (ref MessagePackReader r) => ManagerHelloMessage.Read(ref r)).AuthKey;

    /// <summary>A request and its id.</summary>
    public static ManagerRequestMessage ReadRequest(ReadOnlySequence<byte> payload) =>
        Read(payload, MessageKind.ManagerRequest, static (ref MessagePackReader r) => ManagerRequestMessage.Read(ref r));

    /// <summary>A response and the id of its request.</summary>
    public static ManagerResponseMessage ReadResponse(ReadOnlySequence<byte> payload) =>
        Read(payload, MessageKind.ManagerResponse, static (ref MessagePackReader r) => ManagerResponseMessage.Read(ref r));

    /// <summary>The last field of a request or response: nil when there is nothing (an item is never empty MessagePack).</summary>
    public static void WritePayload(ref MessagePackWriter writer, ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty) writer.WriteNil();
        else writer.Write(payload);
    }

    /// <summary>Reads what <see cref="WritePayload"/> wrote.</summary>
    public static byte[]? ReadPayload(ref MessagePackReader reader) =>
        reader.TryReadNil() ? null : reader.ReadBytes()?.ToArray();

    private delegate T FieldReader<T>(ref MessagePackReader reader);

    private static T Read<T>(ReadOnlySequence<byte> payload, MessageKind expected, FieldReader<T> readFields)
    {
        var reader = new MessagePackReader(payload);
        var kind = Envelope.ReadHeader(ref reader);
        if (kind != expected) throw new ProtocolException($"A manager's socket carried a {kind} message where a {expected} was expected.");
        var message = readFields(ref reader);
        if (!reader.End) throw new ProtocolException($"A {kind} message had bytes after its last field.");
        return message;
    }
}
