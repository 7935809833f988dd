using System.Buffers;
using System.Linq.Expressions;
using System.Reflection;
using MessagePack;
using Supervisor.Protocol.Messages;
using Supervisor.Protocol.Serialization;

namespace Supervisor;

/// <summary>
/// A static field or property that workers started with <see cref="StartMethod.Fork"/> inherit: each worker gets
/// the value the parent holds at the moment that worker starts, as a forked child finds its parent's globals.
/// A .NET runtime cannot be forked, so what a fork would copy wholesale is declared here, member by member, and
/// sent: later changes on either side stay on that side.
/// </summary>
public sealed class InheritedState
{
    private const BindingFlags StaticMembers = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    private readonly Func<object?> _read;

    private InheritedState(MemberInfo member, Type valueType, Func<object?> read)
    {
        DeclaringType = member.DeclaringType!;
        Name = member.Name;
        ValueType = valueType;
        _read = read;
    }

    /// <summary>The type that declares the member.</summary>
    public Type DeclaringType { get; }

    /// <summary>The member's name.</summary>
    public string Name { get; }

    /// <summary>The member's declared type: the type its value is sent and read back as.</summary>
    public Type ValueType { get; }

    /// <summary>The static field or property <paramref name="member"/> reads, e.g. <c>() =&gt; Statics.Counter</c>.</summary>
    /// <exception cref="ArgumentException">The expression is not a static field or property, or the worker could not assign it.</exception>
    public static InheritedState Of<T>(Expression<Func<T>> member)
    {
        ArgumentNullException.ThrowIfNull(member);
        // A value-typed member read as object arrives wrapped in a conversion.
        var body = member.Body is UnaryExpression { NodeType: ExpressionType.Convert } conversion ? conversion.Operand : member.Body;
        if (body is MemberExpression { Expression: null, Member: { DeclaringType: { } type } info }) return Of(type, info.Name);
        throw new ArgumentException($"InheritedState.Of needs a static field or property, as () => Statics.Counter; '{member.Body}' is not one.", nameof(member));
    }

    /// <summary>The static field or property <paramref name="name"/> of <paramref name="type"/>.</summary>
    /// <exception cref="ArgumentException">There is no such static member, or the worker could not assign it.</exception>
    public static InheritedState Of(Type type, string name)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentException.ThrowIfNullOrEmpty(name);
        var display = $"{type.FullName?.Replace('+', '.') ?? type.Name}.{name}";
        if (type.ContainsGenericParameters || type.Assembly.IsDynamic)
        {
            throw new ArgumentException($"{display}: a worker can only reach members of closed types in assemblies on disk.", nameof(type));
        }
        if (type.GetField(name, StaticMembers) is { } field)
        {
            if (field.IsLiteral || field.IsInitOnly)
            {
                throw new ArgumentException($"{display} is {(field.IsLiteral ? "const" : "static readonly")}: a worker could not assign it; drop the readonly, or pass the value as an argument.", nameof(name));
            }
            return new InheritedState(field, field.FieldType, () => field.GetValue(null));
        }
        if (type.GetProperty(name, StaticMembers) is { } property)
        {
            if (property.GetMethod is null || property.SetMethod is null || property.GetIndexParameters().Length > 0)
            {
                throw new ArgumentException($"{display} needs a getter and a setter to be inherited.", nameof(name));
            }
            return new InheritedState(property, property.PropertyType, () => property.GetValue(null));
        }
        throw new ArgumentException($"{display}: {type.Name} declares no static field or property named '{name}'.", nameof(name));
    }

    /// <summary><c>Namespace.Type.Member</c>.</summary>
    public override string ToString() => $"{DeclaringType.FullName?.Replace('+', '.')}.{Name}";

    /// <summary>The member's value now, checked and serialized as its declared type.</summary>
    /// <exception cref="UnserializableValueException">The value cannot cross; the path starts with the member's name.</exception>
    internal InheritedValue Snapshot(SerializabilityChecker checker)
    {
        var value = _read();
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        checker.Write(ref writer, value, ValueType, ToString());
        writer.Flush();
        return new InheritedValue(DeclaringType.Assembly.Location, DeclaringType.FullName!, Name, buffer.WrittenMemory);
    }
}
