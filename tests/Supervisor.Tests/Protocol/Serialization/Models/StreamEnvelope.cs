using MessagePack;

namespace Supervisor.Tests.Protocol.Serialization.Models;

/// <summary>MessagePack resolves a formatter for this and fails only when it serializes the Stream.</summary>
[MessagePackObject]
public sealed class StreamEnvelope
{
    [Key(0)]
    public int Id { get; set; }

    [Key(1)]
    public Stream? Body { get; set; }
}
