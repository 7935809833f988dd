using System.Buffers;
using MessagePack;
using MessagePack.Formatters;

namespace Supervisor.Protocol.Serialization;

/// <summary>
/// Decides, before anything is sent, whether a value can cross a process boundary (Python's "picklability"),
/// and if not says where, what, why and what to send instead. Thread-safe and cheap enough to call per argument:
/// what it learns is cached per type, so a value of a safe type costs one dictionary lookup.
/// </summary>
/// <remarks>
/// MessagePack alone is not enough: its contractless resolver writes a SafeFileHandle or a CancellationTokenSource
/// as <c>{}</c> without complaint. So the type graph is checked against <see cref="CrossingRules"/>, values with
/// polymorphic or recursive members are walked, and then the value is serialized: once, into the message, when the
/// checker writes it (<see cref="Write{T}"/>), or as a trial to nowhere (<see cref="Check"/>).
/// </remarks>
internal sealed class SerializabilityChecker
{
    private const string TrialAdvice =
        "send a public type with public fields or properties (or a [MessagePackObject] with a [Key] on each member), "
        + "built from primitives, strings, arrays, lists and dictionaries";

    private readonly MessagePackSerializerOptions _options;
    private readonly TypeVerdictCache _verdicts;
    private readonly RuntimeTypeSerializer _serializer;

    /// <summary>Creates a checker for values that will be serialized with <paramref name="options"/>.</summary>
    /// <param name="options">The options the values will travel with; its resolver decides what MessagePack can write.</param>
    public SerializabilityChecker(MessagePackSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _verdicts = new TypeVerdictCache(options.Resolver);
        _serializer = new RuntimeTypeSerializer(options);
    }

    /// <summary>
    /// Throws <see cref="UnserializableValueException"/> when <paramref name="value"/> (whose static type is
    /// <paramref name="declaredType"/>) cannot cross a process boundary; returns quietly when it can. For a value
    /// about to be sent, <see cref="Write{T}"/> checks and serializes in one pass instead.
    /// </summary>
    /// <param name="value">The value about to be sent.</param>
    /// <param name="declaredType">Its static type: the type it will be serialized as (a by-ref parameter type is unwrapped).</param>
    /// <param name="path">How to name the value in messages, e.g. <c>args[0]</c> or <c>result</c>.</param>
    /// <exception cref="UnserializableValueException">The value, or something inside it, cannot cross.</exception>
    /// <exception cref="ArgumentException"><paramref name="value"/> is not a <paramref name="declaredType"/>.</exception>
    public void Check(object? value, Type declaredType, string path)
    {
        declaredType = Unwrap(declaredType);
        if (!Inspect(value, declaredType, path) || value is null) return;
        // The type walk cannot know everything MessagePack refuses (a non-public type, an abstract declared type
        // with no formatter...), so serialize once, to nowhere, and report its error at the value's path.
        var trial = new MessagePackWriter(new ArrayBufferWriter<byte>());
        Serialize(ref trial, value, declaredType, path);
    }

    /// <summary>Checks <paramref name="value"/> as <see cref="Check"/> does and writes it as a <typeparamref name="T"/>.</summary>
    /// <exception cref="UnserializableValueException">The value, or something inside it, cannot cross; part of it may have been written.</exception>
    public void Write<T>(ref MessagePackWriter writer, T value, string path)
    {
        Inspect(value, typeof(T), path);
        try
        {
            MessagePackSerializer.Serialize(ref writer, value, _options);
        }
        catch (MessagePackSerializationException e) // FormatterNotRegisteredException is one of these
        {
            throw Refused(value?.GetType() ?? typeof(T), path, e);
        }
    }

    /// <summary>
    /// A writer for many values of <typeparamref name="T"/> (the calls of a chunk, a function's results) that looks
    /// the type up once instead of once per value.
    /// </summary>
    public CheckedWriter<T> WriterFor<T>()
    {
        IMessagePackFormatter<T>? formatter = null;
        if (_verdicts.Get(typeof(T)).IsSettled)
        {
            try
            {
                formatter = _options.Resolver.GetFormatter<T>();
            }
            catch (Exception e) when (e is MessagePackSerializationException or TypeInitializationException)
            {
                // The checked path reports it, value by value.
            }
        }
        return new CheckedWriter<T>(this, _options, formatter);
    }

    /// <summary>Checks <paramref name="value"/> as <see cref="Check"/> does and writes it as a <paramref name="declaredType"/>.</summary>
    /// <exception cref="UnserializableValueException">The value, or something inside it, cannot cross; part of it may have been written.</exception>
    public void Write(ref MessagePackWriter writer, object? value, Type declaredType, string path)
    {
        declaredType = Unwrap(declaredType);
        Inspect(value, declaredType, path);
        Serialize(ref writer, value, declaredType, path);
    }

    // The second half of a check: what only serializing can tell, reported at the value's path.
    private void Serialize(ref MessagePackWriter writer, object? value, Type declaredType, string path)
    {
        try
        {
            _serializer.Serialize(declaredType, ref writer, value);
        }
        catch (MessagePackSerializationException e)
        {
            throw Refused(value?.GetType() ?? declaredType, path, e);
        }
    }

    private static Type Unwrap(Type declaredType)
    {
        ArgumentNullException.ThrowIfNull(declaredType);
        return declaredType.IsByRef ? declaredType.GetElementType()! : declaredType;
    }

    /// <returns>False for a safe type holding a safe value (one lookup, no allocation: the hot path); true when the
    /// value had to be walked, so only serializing it can settle the rest.</returns>
    private bool Inspect(object? value, Type declaredType, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var verdict = _verdicts.Get(declaredType);
        if (verdict.Kind == VerdictKind.Safe && (value is null || value.GetType() == declaredType)) return false;
        if (value is not null && !declaredType.IsInstanceOfType(value))
        {
            throw new ArgumentException(
                $"{path} is a {TypeNames.Format(value.GetType())}, not a {TypeNames.Format(declaredType)}.", nameof(value));
        }
        // A subtype of a safe type (a derived record, say) that is safe itself needs no more than the declared one.
        if (value is not null && verdict.Kind == VerdictKind.Safe && _verdicts.Get(value.GetType()).Kind == VerdictKind.Safe) return false;

        new ValueWalk(_verdicts, path, _options.Security.MaximumObjectGraphDepth).Visit(value, declaredType);
        return true;
    }

    internal static UnserializableValueException Refused(Type type, string path, MessagePackSerializationException error) =>
        new(path, type, $"MessagePack cannot serialize it ({Innermost(error).Message.TrimEnd('.')})", TrialAdvice, error);

    // MessagePack wraps the real cause ("X is not registered in resolver") in one or two layers.
    private static Exception Innermost(Exception error)
    {
        while (error.InnerException is not null) error = error.InnerException;
        return error;
    }
}
