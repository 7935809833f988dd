using MessagePack;

namespace Supervisor.Protocol.Serialization;

/// <summary>
/// Decides, before anything is sent, whether a value can cross a process boundary (Python's "picklability"),
/// and if not says where, what, why and what to send instead. Thread-safe and cheap enough to call per argument:
/// what it learns is cached per type, so a value of a safe type costs one dictionary lookup.
/// </summary>
/// <remarks>
/// MessagePack alone is not enough: its contractless resolver writes a SafeFileHandle or a CancellationTokenSource
/// as <c>{}</c> without complaint. So the type graph is checked against <see cref="CrossingRules"/>, values with
/// polymorphic or recursive members are walked, and then the value is serialized once as a trial.
/// </remarks>
public sealed class SerializabilityChecker
{
    private const string TrialAdvice =
        "send a public type with public fields or properties (or a [MessagePackObject] with a [Key] on each member), "
        + "built from primitives, strings, arrays, lists and dictionaries";

    private readonly MessagePackSerializerOptions _options;
    private readonly TypeVerdictCache _verdicts;

    /// <summary>Creates a checker for values that will be serialized with <paramref name="options"/>.</summary>
    /// <param name="options">The options the values will travel with; its resolver decides what MessagePack can write.</param>
    public SerializabilityChecker(MessagePackSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _verdicts = new TypeVerdictCache(options.Resolver);
    }

    /// <summary>
    /// Throws <see cref="UnserializableValueException"/> when <paramref name="value"/> (whose static type is
    /// <paramref name="declaredType"/>) cannot cross a process boundary; returns quietly when it can.
    /// </summary>
    /// <param name="value">The value about to be sent.</param>
    /// <param name="declaredType">Its static type: the type it will be serialized as (a by-ref parameter type is unwrapped).</param>
    /// <param name="path">How to name the value in messages, e.g. <c>args[0]</c> or <c>result</c>.</param>
    /// <exception cref="UnserializableValueException">The value, or something inside it, cannot cross.</exception>
    /// <exception cref="ArgumentException"><paramref name="value"/> is not a <paramref name="declaredType"/>.</exception>
    public void Check(object? value, Type declaredType, string path)
    {
        ArgumentNullException.ThrowIfNull(declaredType);
        ArgumentNullException.ThrowIfNull(path);
        if (declaredType.IsByRef) declaredType = declaredType.GetElementType()!;

        // The hot path: a safe type, holding exactly that type. One lookup, no allocation.
        var verdict = _verdicts.Get(declaredType);
        if (verdict.Kind == VerdictKind.Safe && (value is null || value.GetType() == declaredType)) return;

        CheckSlowly(value, declaredType, path, verdict);
    }

    private void CheckSlowly(object? value, Type declaredType, string path, TypeVerdict verdict)
    {
        if (value is not null && !declaredType.IsInstanceOfType(value))
        {
            throw new ArgumentException(
                $"{path} is a {TypeNames.Format(value.GetType())}, not a {TypeNames.Format(declaredType)}.", nameof(value));
        }
        // A subtype of a safe type (a derived record, say) that is safe itself needs no more than the declared one.
        if (value is not null && verdict.Kind == VerdictKind.Safe && _verdicts.Get(value.GetType()).Kind == VerdictKind.Safe) return;

        new ValueWalk(_verdicts, path, _options.Security.MaximumObjectGraphDepth).Visit(value, declaredType);
        if (value is not null) TrySerialize(value, declaredType, path);
    }

    // The type walk cannot know everything MessagePack refuses (a non-public type, an abstract declared type with no
    // formatter...), so serialize once, to nowhere, and report its error at the value's path.
    private void TrySerialize(object value, Type declaredType, string path)
    {
        try
        {
            MessagePackSerializer.Serialize(declaredType, Stream.Null, value, _options);
        }
        catch (MessagePackSerializationException e) // FormatterNotRegisteredException is one of these
        {
            throw new UnserializableValueException(path, value.GetType(),
                $"MessagePack cannot serialize it ({Innermost(e).Message.TrimEnd('.')})", TrialAdvice, e);
        }
    }

    // MessagePack wraps the real cause ("X is not registered in resolver") in one or two layers.
    private static Exception Innermost(Exception error)
    {
        while (error.InnerException is not null) error = error.InnerException;
        return error;
    }
}
