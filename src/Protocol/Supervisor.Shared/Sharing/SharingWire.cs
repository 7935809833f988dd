using System.Buffers;
using MessagePack;
using Supervisor.Protocol.Framing;

namespace Supervisor.Sharing;

/// <summary>
/// The frames on a manager's socket, each one MessagePack array. Both directions are read as untrusted: a wrong
/// field count, an unknown operation or status, a timeout out of range or trailing bytes are protocol errors that
/// end the connection.
/// </summary>
/// <remarks>
/// Hello (client → manager, first frame): <c>[magic, version, auth key]</c>, answered by a response with id 0.
/// Request: <c>[id, operation, object id, timeout ms, payload or nil]</c>.
/// Response: <c>[id, status, value, payload or nil]</c>.
/// </remarks>
internal static class SharingWire
{
    /// <summary>The first field of a hello, so that a stray client is told apart from an old one.</summary>
    public const string Magic = "supervisor-manager";

    /// <summary>The version of these frames.</summary>
    public const int Version = 1;

    /// <summary>The id the manager answers a hello with.</summary>
    public const long HandshakeId = 0;

    public static void WriteHello(FrameWriter frames, byte[] authKey)
    {
        var start = frames.BeginFrame();
        var writer = new MessagePackWriter(frames);
        writer.WriteArrayHeader(3);
        writer.Write(Magic);
        writer.Write(Version);
        writer.Write(authKey);
        writer.Flush();
        frames.EndFrame(start);
    }

    /// <summary>The auth key a hello carries.</summary>
    public static byte[] ReadHello(ReadOnlySequence<byte> payload)
    {
        var reader = new MessagePackReader(payload);
        ExpectFields(ref reader, 3, "hello");
        if (reader.ReadString() != Magic) throw new ProtocolException("The first frame was not a manager hello.");
        var version = reader.ReadInt32();
        if (version != Version) throw new ProtocolException($"The client speaks manager protocol {version}; this manager speaks {Version}.");
        var key = reader.ReadBytes()?.ToArray() ?? throw new ProtocolException("The hello carried no auth key.");
        ExpectEnd(ref reader, "hello");
        return key;
    }

    public static void WriteRequest(FrameWriter frames, long id, in SharingRequest request)
    {
        var start = frames.BeginFrame();
        var writer = new MessagePackWriter(frames);
        writer.WriteArrayHeader(5);
        writer.Write(id);
        writer.Write((byte)request.Operation);
        writer.Write(request.ObjectId);
        writer.Write(request.TimeoutMilliseconds);
        WritePayloadAndEnd(frames, start, ref writer, request.Payload);
    }

    public static (long Id, SharingRequest Request) ReadRequest(ReadOnlySequence<byte> payload)
    {
        var reader = new MessagePackReader(payload);
        ExpectFields(ref reader, 5, "request");
        var id = reader.ReadInt64();
        var operation = (SharingOperation)reader.ReadByte();
        if (!Enum.IsDefined(operation)) throw new ProtocolException($"Unknown manager operation {(byte)operation}.");
        var objectId = reader.ReadInt64();
        var timeout = reader.ReadInt64();
        if (timeout is < -1 or > int.MaxValue) throw new ProtocolException($"A request's timeout of {timeout} ms is out of range.");
        var bytes = ReadPayload(ref reader);
        ExpectEnd(ref reader, "request");
        return (id, new SharingRequest(operation, objectId, timeout, bytes ?? []));
    }

    public static void WriteResponse(FrameWriter frames, long id, in SharingResponse response)
    {
        var start = frames.BeginFrame();
        var writer = new MessagePackWriter(frames);
        writer.WriteArrayHeader(4);
        writer.Write(id);
        writer.Write((byte)response.Status);
        writer.Write(response.Value);
        WritePayloadAndEnd(frames, start, ref writer, response.Payload);
    }

    public static (long Id, SharingResponse Response) ReadResponse(ReadOnlySequence<byte> payload)
    {
        var reader = new MessagePackReader(payload);
        ExpectFields(ref reader, 4, "response");
        var id = reader.ReadInt64();
        var status = (SharingStatus)reader.ReadByte();
        if (!Enum.IsDefined(status)) throw new ProtocolException($"Unknown manager status {(byte)status}.");
        var value = reader.ReadInt64();
        var bytes = ReadPayload(ref reader);
        ExpectEnd(ref reader, "response");
        return (id, new SharingResponse(status, value, bytes));
    }

    // The last field of a request or response: nil when there is nothing (an item is never empty MessagePack).
    private static void WritePayloadAndEnd(FrameWriter frames, int frameStart, ref MessagePackWriter writer, ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty) writer.WriteNil();
        else writer.Write(payload);
        writer.Flush();
        frames.EndFrame(frameStart);
    }

    private static byte[]? ReadPayload(ref MessagePackReader reader) =>
        reader.TryReadNil() ? null : reader.ReadBytes()?.ToArray();

    private static void ExpectFields(ref MessagePackReader reader, int count, string what)
    {
        var actual = reader.ReadArrayHeader();
        if (actual != count) throw new ProtocolException($"A manager {what} had {actual} fields; {count} were expected.");
    }

    private static void ExpectEnd(ref MessagePackReader reader, string what)
    {
        if (!reader.End) throw new ProtocolException($"A manager {what} had bytes after its last field.");
    }
}
