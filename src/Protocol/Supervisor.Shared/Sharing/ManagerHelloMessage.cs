using System.Buffers;
using MessagePack;
using Supervisor.Protocol.Framing;
using Supervisor.Protocol.Messages;

namespace Supervisor.Sharing;

/// <summary>A client's first frame on a manager's socket: who it is and the manager's key.</summary>
/// <param name="AuthKey">The key the manager drew; compared in constant time.</param>
internal readonly record struct ManagerHelloMessage(byte[] AuthKey) : IFrameMessage
{
    internal const int FieldCount = 3;

    /// <summary>The first field, so that a stray client is told apart from an old one.</summary>
    public const string Magic = "supervisor-manager";

    /// <summary>The version of the manager's frames.</summary>
    public const int Version = 2;

    /// <summary>Writes the message, envelope included.</summary>
    public void Write(ref MessagePackWriter writer)
    {
        Envelope.WriteHeader(ref writer, MessageKind.ManagerHello, FieldCount);
        writer.Write(Magic);
        writer.Write(Version);
        writer.Write(AuthKey);
    }

    /// <summary>Reads the fields that follow the envelope.</summary>
    /// <exception cref="ProtocolException">Not a manager hello of this version, or no key.</exception>
    public static ManagerHelloMessage Read(ref MessagePackReader reader)
    {
        if (reader.ReadString() != Magic) throw new ProtocolException("The first frame was not a manager hello.");
        var version = reader.ReadInt32();
        if (version != Version) throw new ProtocolException($"The client speaks manager protocol {version}; this manager speaks {Version}.");
        var key = reader.ReadBytes() ?? throw new ProtocolException("The hello carried no auth key.");
        return new(key.ToArray());
    }
}
