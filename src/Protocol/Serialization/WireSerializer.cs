using MessagePack;
using MessagePack.Resolvers;
using Supervisor.SharedMemory;
using Supervisor.Sharing;

namespace Supervisor.Protocol.Serialization;

/// <summary>The MessagePack options user values travel with.</summary>
public static class WireSerializer
{
    /// <summary>
    /// Contractless (plain classes and records need no attributes), never Typeless (no type names on the wire),
    /// and hardened for untrusted data (bounded depth, collision-resistant hashing). Shared-memory objects travel
    /// as the path of their mapped file; shared queues and pipe ends as references to their manager, read back as
    /// connected proxies.
    /// </summary>
    public static MessagePackSerializerOptions Options { get; } = MessagePackSerializerOptions.Standard
        .WithResolver(CompositeResolver.Create(SharedMemoryResolver.Instance, SharingResolver.Instance, ContractlessStandardResolver.Instance))
        .WithSecurity(MessagePackSecurity.UntrustedData);
}
