using MessagePack;
using MessagePack.Formatters;
using MessagePack.Resolvers;

namespace Supervisor.Protocol.Serialization;

/// <summary>
/// MessagePack's contractless resolver, touched only for a type the built-in formatters do not cover. Its first use
/// sets up dynamic code generation, a large share of a worker's start (docs/benchmarks.md); a worker whose calls
/// take and return numbers, strings and byte arrays never pays it.
/// </summary>
internal sealed class DeferredContractlessResolver : IFormatterResolver
{
    public static readonly DeferredContractlessResolver Instance = new();

    private DeferredContractlessResolver()
    {
    }

    public IMessagePackFormatter<T>? GetFormatter<T>() => ContractlessStandardResolver.Instance.GetFormatter<T>();
}
