using MessagePack;
using MessagePack.Formatters;

namespace Supervisor.SharedMemory;

/// <summary>The formatters of <see cref="SharedValue{T}"/> and <see cref="SharedArray{T}"/>, ahead of the contractless resolver.</summary>
internal sealed class SharedMemoryResolver : IFormatterResolver
{
    /// <summary>The one instance; it holds nothing but per-type formatters, created once.</summary>
    public static readonly SharedMemoryResolver Instance = new();

    private SharedMemoryResolver()
    {
    }

    /// <summary>True for SharedValue&lt;T&gt; and SharedArray&lt;T&gt;: they travel by reference, as a path.</summary>
    public static bool Handles(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() is var definition
        && (definition == typeof(SharedValue<>) || definition == typeof(SharedArray<>));

    public IMessagePackFormatter<T>? GetFormatter<T>() => FormatterOf<T>.Formatter;

    // MessagePack's idiom: one immutable formatter per type, found once by the type system's own cache.
    private static class FormatterOf<T>
    {
        public static readonly IMessagePackFormatter<T>? Formatter = Create();

        private static IMessagePackFormatter<T>? Create()
        {
            if (!Handles(typeof(T))) return null;
            var formatter = typeof(T).GetGenericTypeDefinition() == typeof(SharedValue<>)
                ? typeof(SharedValueFormatter<>)
                : typeof(SharedArrayFormatter<>);
            return (IMessagePackFormatter<T>)Activator.CreateInstance(formatter.MakeGenericType(typeof(T).GetGenericArguments()))!;
        }
    }
}
