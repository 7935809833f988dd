using MessagePack;

namespace Supervisor.Protocol.Messages;

/// <summary>The handshake: the first frame a worker sends, before it reads anything.</summary>
/// <param name="Version">The worker's <see cref="WireProtocol.Version"/>.</param>
/// <param name="WorkerId">The id the supervisor gave the worker on its command line.</param>
/// <param name="ProcessId">The worker's own process id.</param>
internal readonly record struct HelloMessage(int Version, int WorkerId, int ProcessId) : IFrameMessage
{
    internal const int FieldCount = 3;

    /// <summary>Writes the message, envelope included.</summary>
    public void Write(ref MessagePackWriter writer)
    {
        Envelope.WriteHeader(ref writer, MessageKind.Hello, FieldCount);
        writer.Write(Version);
        writer.Write(WorkerId);
        writer.Write(ProcessId);
    }

    /// <summary>Reads the fields that follow the envelope.</summary>
    public static HelloMessage Read(ref MessagePackReader reader) =>
        new(reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32());
}
