using System.Collections.Concurrent;
using MessagePack;
using Supervisor.Sharing;

namespace Supervisor.Protocol.Serialization;

/// <summary>
/// Verdicts per type, computed once from the type graph and then only looked up. Thread-safe: two threads may
/// compute the same verdict at once, and the first one stored wins (they are equivalent).
/// </summary>
internal sealed class TypeVerdictCache
{
    private readonly ConcurrentDictionary<Type, TypeVerdict> _verdicts = new();
    private readonly IFormatterResolver _resolver;

    public TypeVerdictCache(IFormatterResolver resolver) => _resolver = resolver;

    /// <summary>The verdict for <paramref name="type"/>; after the first call, one dictionary lookup.</summary>
    public TypeVerdict Get(Type type) =>
        _verdicts.TryGetValue(type, out var verdict) ? verdict : Get(type, new HashSet<Type>());

    // inProgress holds the types whose verdicts are being built further up: meeting one again means the type is recursive.
    private TypeVerdict Get(Type type, HashSet<Type> inProgress)
    {
        if (_verdicts.TryGetValue(type, out var verdict)) return verdict;
        inProgress.Add(type);
        try
        {
            return _verdicts.GetOrAdd(type, Build(type, inProgress));
        }
        finally
        {
            inProgress.Remove(type);
        }
    }

    private TypeVerdict Build(Type type, HashSet<Type> inProgress)
    {
        // A shared queue or pipe end crosses as a reference, whatever it holds; its formatter refuses one whose manager is gone.
        if (typeof(ISharedReference).IsAssignableFrom(type)) return TypeVerdict.Leaf();
        if (CrossingRules.Find(type) is { } rule) return TypeVerdict.Refused(type, rule);
        if (TypeShapes.IsLeaf(type)) return TypeVerdict.Leaf();
        // A boxed int? is an int: the underlying type says everything.
        if (Nullable.GetUnderlyingType(type) is { } underlying) return Get(underlying, inProgress);

        // Fold the verdicts of the parts (members, items, keys, values) into this type's.
        StaticProblem? problem = null;
        var needsWalk = false;
        void Consider(Type part, string? memberName)
        {
            if (inProgress.Contains(part))
            {
                // A recursive type (Node.Next is a Node): values may form cycles, so they must be walked.
                needsWalk = true;
                return;
            }
            var verdict = Get(part, inProgress);
            if (!verdict.IsSettled) needsWalk = true;
            if (problem is null && verdict.Problem is { } found)
            {
                problem = memberName is null
                    ? found with { RelativePath = "", Type = type } // a collection that can never hold a valid item
                    : found with { RelativePath = "." + memberName + found.RelativePath };
            }
        }
        VerdictKind Kind() =>
            problem is not null ? VerdictKind.Problem
            : needsWalk || !Resolves(type) ? VerdictKind.Walk
            : VerdictKind.Safe;

        if (TypeShapes.TryGetDictionaryTypes(type, out var keyType, out var valueType))
        {
            Consider(keyType, memberName: null);
            Consider(valueType, memberName: null);
            return TypeVerdict.Dictionary(type, Kind(), problem, keyType, valueType);
        }
        if (TypeShapes.TryGetElementType(type, out var elementType))
        {
            Consider(elementType, memberName: null);
            return TypeVerdict.Sequence(type, Kind(), problem, elementType);
        }
        if (type == typeof(object) || type.IsInterface) return TypeVerdict.Polymorphic(type);

        var members = SerializedMembers.Of(type);
        foreach (var member in members)
        {
            Consider(member.Type, member.Name);
        }
        return TypeVerdict.Object(type, Kind(), problem, members);
    }

    // MessagePack must have a formatter for a type we call safe, or trial serialization could not be skipped.
    // Resolvers report "no" as null, FormatterNotRegisteredException or a TypeInitializationException; all mean the same here.
#pragma warning disable CA1031 // any failure to resolve means "let the trial serialization report it"
    private bool Resolves(Type type)
    {
        try
        {
            return _resolver.GetFormatterDynamic(type) is not null;
        }
        catch (Exception)
        {
            return false;
        }
    }
#pragma warning restore CA1031
}
