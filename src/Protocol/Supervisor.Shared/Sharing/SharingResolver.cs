using MessagePack;
using MessagePack.Formatters;

namespace Supervisor.Sharing;

/// <summary>
/// Gives the shared proxy types (<see cref="SharedSimpleQueue{T}"/>, <see cref="SharedQueue{T}"/>, <see cref="SharedJoinableQueue{T}"/>,
/// <see cref="PipeConnection{T}"/>) their reference formatter; every other type is left to the next resolver.
/// Stateless: the composite resolver in front of it caches what it returns.
/// </summary>
internal sealed class SharingResolver : IFormatterResolver
{
    public static SharingResolver Instance { get; } = new();

    private SharingResolver()
    {
    }

    public IMessagePackFormatter<T>? GetFormatter<T>()
    {
        var type = typeof(T);
        // The non-generic test first: only the proxy types satisfy ISharedReference<TSelf>'s constraint.
        if (!typeof(ISharedReference).IsAssignableFrom(type)) return null;
        return (IMessagePackFormatter<T>)Activator.CreateInstance(typeof(SharedObjectFormatter<>).MakeGenericType(type))!;
    }
}
