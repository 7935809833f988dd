using MessagePack;
using MessagePack.Formatters;

namespace Supervisor.Protocol.Serialization;

/// <summary>
/// Writes many values of one static type as <see cref="SerializabilityChecker.Write{T}"/> does, with the per-type
/// work done once: for a value type or a sealed type found safe, a value costs its serialization and nothing else.
/// Made by <see cref="SerializabilityChecker.WriterFor{T}"/>; thread-safe.
/// </summary>
/// <typeparam name="T">The static type of the values.</typeparam>
internal sealed class CheckedWriter<T>
{
    private readonly SerializabilityChecker _checker;
    private readonly MessagePackSerializerOptions _options;
    // Null when values must still be inspected one by one (a type whose values may be of other types, or unsafe).
    private readonly IMessagePackFormatter<T>? _formatter;

    internal CheckedWriter(SerializabilityChecker checker, MessagePackSerializerOptions options, IMessagePackFormatter<T>? formatter)
    {
        _checker = checker;
        _options = options;
        _formatter = formatter;
    }

    /// <summary>Checks <paramref name="value"/> and writes it.</summary>
    /// <param name="writer">Where the value goes.</param>
    /// <param name="value">The value about to be sent.</param>
    /// <param name="path">How to name the value in messages, e.g. <c>args[0]</c> or <c>result</c>.</param>
    /// <exception cref="UnserializableValueException">The value, or something inside it, cannot cross; part of it may have been written.</exception>
    public void Write(ref MessagePackWriter writer, T value, string path)
    {
        if (_formatter is null)
        {
            _checker.Write(ref writer, value, path);
            return;
        }
        try
        {
            _formatter.Serialize(ref writer, value, _options);
        }
        catch (Exception e) when (e is not UnserializableValueException)
        {
            throw SerializabilityChecker.Refused(typeof(T), path, new MessagePackSerializationException($"Failed to serialize {typeof(T).FullName} value.", e));
        }
    }
}
