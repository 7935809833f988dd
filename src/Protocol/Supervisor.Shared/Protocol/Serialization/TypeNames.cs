using System.Collections.Frozen;
using System.Text;

namespace Supervisor.Protocol.Serialization;

/// <summary>
/// Type names as a C# programmer writes them: <c>List&lt;Stream&gt;</c>, <c>int[]</c>, <c>int?</c>,
/// <c>Dictionary&lt;string, Func&lt;int&gt;&gt;</c>; never <c>List`1[[System.IO.Stream, ...]]</c>.
/// </summary>
internal static class TypeNames
{
    private static readonly FrozenDictionary<Type, string> Keywords = new Dictionary<Type, string>
    {
        [typeof(bool)] = "bool",
        [typeof(byte)] = "byte",
        [typeof(sbyte)] = "sbyte",
        [typeof(char)] = "char",
        [typeof(short)] = "short",
        [typeof(ushort)] = "ushort",
        [typeof(int)] = "int",
        [typeof(uint)] = "uint",
        [typeof(long)] = "long",
        [typeof(ulong)] = "ulong",
        [typeof(float)] = "float",
        [typeof(double)] = "double",
        [typeof(decimal)] = "decimal",
        [typeof(string)] = "string",
        [typeof(object)] = "object",
        [typeof(void)] = "void",
    }.ToFrozenDictionary();

    /// <summary>The C#-style name of <paramref name="type"/>, without namespaces.</summary>
    public static string Format(Type type)
    {
        var text = new StringBuilder();
        Append(text, type);
        return text.ToString();
    }

    private static void Append(StringBuilder text, Type type)
    {
        if (Keywords.TryGetValue(type, out var keyword))
        {
            text.Append(keyword);
        }
        else if (type.IsByRef)
        {
            Append(text.Append("ref "), type.GetElementType()!);
        }
        else if (type.IsPointer)
        {
            Append(text, type.GetElementType()!);
            text.Append('*');
        }
        else if (type.IsArray)
        {
            Append(text, type.GetElementType()!);
            text.Append('[').Append(',', type.GetArrayRank() - 1).Append(']');
        }
        else if (type.IsFunctionPointer)
        {
            text.Append(type.IsUnmanagedFunctionPointer ? "delegate* unmanaged<" : "delegate*<");
            foreach (var parameter in type.GetFunctionPointerParameterTypes())
            {
                Append(text, parameter);
                text.Append(", ");
            }
            Append(text, type.GetFunctionPointerReturnType());
            text.Append('>');
        }
        else if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            Append(text, underlying);
            text.Append('?');
        }
        else if (IsValueTuple(type))
        {
            text.Append('(');
            AppendTupleItems(text, type);
            text.Append(')');
        }
        else
        {
            AppendNamed(text, type);
        }
    }

    // Nested types keep their outer types ("Outer<int>.Inner"); generic arguments are spread over the levels.
    private static void AppendNamed(StringBuilder text, Type type)
    {
        var levels = new Stack<Type>();
        for (var level = type; level is not null; level = level.IsGenericParameter ? null : level.DeclaringType)
        {
            levels.Push(level);
        }

        var arguments = type.IsGenericType ? type.GetGenericArguments() : [];
        var used = 0;
        var first = true;
        foreach (var level in levels)
        {
            if (!first) text.Append('.');
            first = false;

            var name = level.Name;
            var tick = name.IndexOf('`', StringComparison.Ordinal);
            if (tick < 0)
            {
                text.Append(name);
                continue;
            }

            text.Append(name, 0, tick);
            var count = int.Parse(name.AsSpan(tick + 1), System.Globalization.CultureInfo.InvariantCulture);
            text.Append('<');
            for (var i = 0; i < count && used < arguments.Length; i++, used++)
            {
                if (i > 0) text.Append(", ");
                Append(text, arguments[used]);
            }
            text.Append('>');
        }
    }

    private static void AppendTupleItems(StringBuilder text, Type tuple)
    {
        var items = tuple.GetGenericArguments();
        for (var i = 0; i < items.Length; i++)
        {
            if (i > 0) text.Append(", ");
            // The eighth argument of a long tuple holds the rest of the items: flatten it as C# does.
            if (i == 7 && IsValueTuple(items[i])) AppendTupleItems(text, items[i]);
            else Append(text, items[i]);
        }
    }

    private static bool IsValueTuple(Type type) =>
        type.IsGenericType && type.IsValueType && !type.IsGenericTypeDefinition
        && type.Namespace == "System" && type.Name.StartsWith("ValueTuple`", StringComparison.Ordinal);
}
