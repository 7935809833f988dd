namespace Supervisor.Tests.Protocol.Serialization.Models;

/// <summary>Harmless members, but MessagePack's dynamic resolver only builds formatters for public types.</summary>
internal sealed class InternalPayload
{
    public int Value { get; set; }
}
