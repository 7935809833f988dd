using MessagePack;
using MessagePack.Formatters;
using MessagePack.Resolvers;

namespace Supervisor.Protocol.Serialization;

/// <summary>
/// MessagePack's contractless resolver, touched only for a type the built-in formatters do not cover. Its first use
/// costs about 75 ms (it sets up dynamic code generation); a worker whose calls take and return numbers, strings
/// and byte arrays never pays it, and a process start is that much shorter.
/// </summary>
internal sealed class DeferredContractlessResolver : IFormatterResolver
{
    public static readonly DeferredContractlessResolver Instance = new();

    private DeferredContractlessResolver()
    {
    }

    public IMessagePackFormatter<T>? GetFormatter<T>() => ContractlessStandardResolver.Instance.GetFormatter<T>();
}
