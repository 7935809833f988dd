using MessagePack;
using MessagePack.Resolvers;

namespace Supervisor.Distributed.Wire;

/// <summary>
/// The MessagePack options of the distributed mode's values: contractless (user types need no attributes, as in the
/// pool), read as untrusted data (hash-flooding guards), always by a declared type, never by a type name.
/// </summary>
internal static class DistributedSerializer
{
    public static MessagePackSerializerOptions Options { get; } = MessagePackSerializerOptions.Standard
        .WithResolver(ContractlessStandardResolver.Instance)
        .WithSecurity(MessagePackSecurity.UntrustedData);
}
