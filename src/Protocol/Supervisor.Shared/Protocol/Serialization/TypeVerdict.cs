using System.Collections.Immutable;
using System.Reflection;

namespace Supervisor.Protocol.Serialization;

/// <summary>
/// What the checker learned about one type, once: whether its values are safe as they are, need walking,
/// or can never cross; and how to take a value apart when it must be walked. Immutable, shared across threads.
/// </summary>
internal sealed class TypeVerdict
{
    private TypeVerdict(VerdictKind kind, ValueShape shape, bool isExact, StaticProblem? problem)
    {
        Kind = kind;
        Shape = shape;
        IsExact = isExact;
        Problem = problem;
    }

    /// <summary>What <see cref="SerializabilityChecker.Check"/> must do for a value of exactly this type.</summary>
    public VerdictKind Kind { get; }

    /// <summary>How a value is taken apart.</summary>
    public ValueShape Shape { get; }

    /// <summary>A member declared with this type always holds exactly this type (see <see cref="TypeShapes.IsExact"/>).</summary>
    public bool IsExact { get; }

    /// <summary>Why every value is refused; set exactly when <see cref="Kind"/> is <see cref="VerdictKind.Problem"/>.</summary>
    public StaticProblem? Problem { get; }

    /// <summary>Members to visit, for <see cref="ValueShape.Object"/>.</summary>
    public ImmutableArray<WalkMember> Members { get; private init; } = [];

    /// <summary>Item type, for <see cref="ValueShape.Sequence"/>.</summary>
    public Type ElementType { get; private init; } = typeof(object);

    /// <summary>Key type, for <see cref="ValueShape.Dictionary"/>.</summary>
    public Type KeyType { get; private init; } = typeof(object);

    /// <summary>Value type, for <see cref="ValueShape.Dictionary"/>.</summary>
    public Type ValueType { get; private init; } = typeof(object);

    /// <summary>KeyValuePair&lt;K,V&gt;.Key, for dictionaries that are not also a non-generic IDictionary.</summary>
    public PropertyInfo? PairKey { get; private init; }

    /// <summary>KeyValuePair&lt;K,V&gt;.Value, likewise.</summary>
    public PropertyInfo? PairValue { get; private init; }

    /// <summary>A member of this type needs no look at its value: safe, and it cannot hold a subtype.</summary>
    public bool IsSettled => Kind == VerdictKind.Safe && IsExact;

    public static TypeVerdict Leaf() => new(VerdictKind.Safe, ValueShape.Leaf, isExact: true, problem: null);

    public static TypeVerdict Refused(Type type, CrossingRule rule) =>
        new(VerdictKind.Problem, ValueShape.Leaf, TypeShapes.IsExact(type), new StaticProblem("", type, rule.Reason, rule.Advice));

    public static TypeVerdict Polymorphic(Type type) =>
        new(VerdictKind.Walk, ValueShape.Polymorphic, TypeShapes.IsExact(type), problem: null);

    public static TypeVerdict Object(Type type, VerdictKind kind, StaticProblem? problem, ImmutableArray<WalkMember> members) =>
        new(kind, ValueShape.Object, TypeShapes.IsExact(type), problem) { Members = members };

    public static TypeVerdict Sequence(Type type, VerdictKind kind, StaticProblem? problem, Type elementType) =>
        new(kind, ValueShape.Sequence, TypeShapes.IsExact(type), problem) { ElementType = elementType };

    public static TypeVerdict Dictionary(Type type, VerdictKind kind, StaticProblem? problem, Type keyType, Type valueType)
    {
        var pair = typeof(KeyValuePair<,>).MakeGenericType(keyType, valueType);
        return new(kind, ValueShape.Dictionary, TypeShapes.IsExact(type), problem)
        {
            KeyType = keyType,
            ValueType = valueType,
            PairKey = pair.GetProperty(nameof(KeyValuePair<int, int>.Key)),
            PairValue = pair.GetProperty(nameof(KeyValuePair<int, int>.Value)),
        };
    }
}
