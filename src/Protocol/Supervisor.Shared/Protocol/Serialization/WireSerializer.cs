using MessagePack;
using MessagePack.Resolvers;
using Supervisor.SharedMemory;
using Supervisor.Sharing;

namespace Supervisor.Protocol.Serialization;

/// <summary>The MessagePack options user values travel with.</summary>
internal static class WireSerializer
{
    /// <summary>
    /// Contractless (plain classes and records need no attributes), never Typeless (no type names on the wire),
    /// and hardened for untrusted data (bounded depth, collision-resistant hashing). Shared-memory objects travel
    /// as the path of their mapped file; shared queues and pipe ends as references to their manager, read back as
    /// connected proxies.
    /// </summary>
    /// <remarks>
    /// Built without <see cref="MessagePackSerializerOptions.Standard"/> and with the built-in formatters first: both
    /// would set up MessagePack's dynamic code generation at once, in every process start, which only a
    /// type outside the built-ins needs.
    /// </remarks>
    public static MessagePackSerializerOptions Options { get; } = new MessagePackSerializerOptions(
            CompositeResolver.Create(
                [PayloadBytesFormatter.Instance],
                [BuiltinResolver.Instance, SharedMemoryResolver.Instance, SharingResolver.Instance, DeferredContractlessResolver.Instance]))
        .WithSecurity(MessagePackSecurity.UntrustedData);
}
