using System.Collections;
using System.Collections.Frozen;
using System.Numerics;
using Supervisor.SharedMemory;

namespace Supervisor.Protocol.Serialization;

/// <summary>Facts about a type's shape, independent of any value: leaves, collections, exactness.</summary>
internal static class TypeShapes
{
    // Written whole by MessagePack's built-in formatters; nothing inside them can be a problem.
    private static readonly FrozenSet<Type> LeafTypes = new[]
    {
        typeof(string), typeof(decimal), typeof(DateTime), typeof(DateTimeOffset), typeof(TimeSpan), typeof(Guid),
        typeof(BigInteger), typeof(Uri), typeof(Version), typeof(DateOnly), typeof(TimeOnly), typeof(Half),
    }.ToFrozenSet();

    /// <summary>
    /// Primitives (IntPtr is refused before this is asked), enums, the well-known value-like types, and shared-memory
    /// objects (they travel as the path of their mapped file).
    /// </summary>
    public static bool IsLeaf(Type type) =>
        type.IsPrimitive || type.IsEnum || LeafTypes.Contains(type) || SharedMemoryResolver.Handles(type);

    /// <summary>
    /// True when a member declared with <paramref name="type"/> can only hold exactly that type, so its value need not be
    /// looked at when the type itself is safe. object, interfaces and non-sealed classes are polymorphic.
    /// </summary>
    public static bool IsExact(Type type)
    {
        if (type.IsValueType || IsLeaf(type)) return true;
        // Arrays are sealed, but a Base[] may hold Derived items.
        if (type.IsArray) return IsExact(type.GetElementType()!);
        return type.IsSealed;
    }

    /// <summary>Key and value types of a dictionary (IDictionary&lt;K,V&gt;, IReadOnlyDictionary&lt;K,V&gt; or IDictionary).</summary>
    public static bool TryGetDictionaryTypes(Type type, out Type keyType, out Type valueType)
    {
        var generic = FindGeneric(type, typeof(IDictionary<,>)) ?? FindGeneric(type, typeof(IReadOnlyDictionary<,>));
        if (generic is not null)
        {
            var arguments = generic.GetGenericArguments();
            (keyType, valueType) = (arguments[0], arguments[1]);
            return true;
        }
        (keyType, valueType) = (typeof(object), typeof(object));
        return typeof(IDictionary).IsAssignableFrom(type);
    }

    /// <summary>The item type of an array or IEnumerable (object for the non-generic one); strings are leaves, not sequences.</summary>
    public static bool TryGetElementType(Type type, out Type elementType)
    {
        if (type.IsArray)
        {
            elementType = type.GetElementType()!;
            return true;
        }
        var generic = FindGeneric(type, typeof(IEnumerable<>));
        if (generic is not null)
        {
            elementType = generic.GetGenericArguments()[0];
            return true;
        }
        elementType = typeof(object);
        return typeof(IEnumerable).IsAssignableFrom(type);
    }

    // The closed form of an open generic interface that type is or implements (the first one when several).
    private static Type? FindGeneric(Type type, Type openInterface)
    {
        if (type.IsGenericType && type.GetGenericTypeDefinition() == openInterface) return type;
        foreach (var candidate in type.GetInterfaces())
        {
            if (candidate.IsGenericType && candidate.GetGenericTypeDefinition() == openInterface) return candidate;
        }
        return null;
    }
}
