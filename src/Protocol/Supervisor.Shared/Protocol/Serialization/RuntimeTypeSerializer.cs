using System.Collections.Concurrent;
using System.Collections.ObjectModel;
using System.Reflection;
using MessagePack;

namespace Supervisor.Protocol.Serialization;

/// <summary>
/// Writes and reads values whose type is known only at run time (a parameter's, a result's), through one delegate
/// per type made from a generic method. MessagePack's own non-generic API compiles an expression tree for each new
/// type, which a worker would pay on its first calls. The delegates of the built-in types most
/// calls take and return are made ahead, so those need no run-time code at all (a NativeAOT worker has none).
/// </summary>
internal sealed class RuntimeTypeSerializer
{
    private delegate void Writer(ref MessagePackWriter writer, object? value, MessagePackSerializerOptions options);

    private delegate object? Reader(ref MessagePackReader reader, MessagePackSerializerOptions options);

    private static readonly MethodInfo WriteMethod = typeof(RuntimeTypeSerializer).GetMethod(nameof(WriteAs), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo ReadMethod = typeof(RuntimeTypeSerializer).GetMethod(nameof(ReadAs), BindingFlags.NonPublic | BindingFlags.Static)!;

    private static readonly ReadOnlyDictionary<Type, (Writer Write, Reader Read)> Precompiled = new Dictionary<Type, (Writer Write, Reader Read)>(
    [
        Entry<object>(), Entry<bool>(), Entry<byte>(), Entry<sbyte>(), Entry<short>(), Entry<ushort>(), Entry<int>(),
        Entry<uint>(), Entry<long>(), Entry<ulong>(), Entry<float>(), Entry<double>(), Entry<decimal>(), Entry<char>(),
        Entry<string>(), Entry<byte[]>(), Entry<DateTime>(), Entry<DateTimeOffset>(), Entry<TimeSpan>(), Entry<Guid>(),
        Entry<int[]>(), Entry<long[]>(), Entry<double[]>(), Entry<string[]>(),
    ]).AsReadOnly();

    private readonly MessagePackSerializerOptions _options;
    private readonly ConcurrentDictionary<Type, Writer> _writers = new();
    private readonly ConcurrentDictionary<Type, Reader> _readers = new();

    /// <summary>Serializes with <paramref name="options"/>.</summary>
    public RuntimeTypeSerializer(MessagePackSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <summary>Writes <paramref name="value"/> as a <paramref name="type"/>.</summary>
    /// <exception cref="MessagePackSerializationException">MessagePack cannot write it.</exception>
    public void Serialize(Type type, ref MessagePackWriter writer, object? value)
    {
        var write = _writers.GetOrAdd(type, static t => Precompiled.TryGetValue(t, out var made) ? made.Write : WriteMethod.MakeGenericMethod(t).CreateDelegate<Writer>());
        try
        {
            write(ref writer, value, _options);
        }
        catch (Exception e) when (e is not MessagePackSerializationException)
        {
            // As MessagePack's own API reports it, so callers catch one exception type.
            throw new MessagePackSerializationException($"Failed to serialize {type.FullName} value.", e);
        }
    }

    /// <summary>Reads a <paramref name="type"/> where <paramref name="reader"/> stands.</summary>
    /// <exception cref="MessagePackSerializationException">The bytes are not a <paramref name="type"/>.</exception>
    public object? Deserialize(Type type, ref MessagePackReader reader)
    {
        var read = _readers.GetOrAdd(type, static t => Precompiled.TryGetValue(t, out var made) ? made.Read : ReadMethod.MakeGenericMethod(t).CreateDelegate<Reader>());
        try
        {
            return read(ref reader, _options);
        }
        catch (Exception e) when (e is not MessagePackSerializationException)
        {
            throw new MessagePackSerializationException($"Failed to deserialize {type.FullName} value.", e);
        }
    }

    private static KeyValuePair<Type, (Writer, Reader)> Entry<T>() => new(typeof(T), (WriteAs<T>, ReadAs<T>));

    private static void WriteAs<T>(ref MessagePackWriter writer, object? value, MessagePackSerializerOptions options) =>
        options.Resolver.GetFormatterWithVerify<T>().Serialize(ref writer, (T)value!, options);

    private static object? ReadAs<T>(ref MessagePackReader reader, MessagePackSerializerOptions options) =>
        options.Resolver.GetFormatterWithVerify<T>().Deserialize(ref reader, options);
}
