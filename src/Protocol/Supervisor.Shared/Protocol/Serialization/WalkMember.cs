using System.Reflection;

namespace Supervisor.Protocol.Serialization;

/// <summary>A field or property that MessagePack writes, and how to read it.</summary>
internal sealed class WalkMember
{
    private readonly PropertyInfo? _property;
    private readonly FieldInfo? _field;

    public WalkMember(PropertyInfo property)
    {
        _property = property;
        Name = property.Name;
        Type = property.PropertyType;
        PathText = "." + Name;
    }

    public WalkMember(FieldInfo field)
    {
        _field = field;
        Name = field.Name;
        Type = field.FieldType;
        PathText = "." + Name;
    }

    /// <summary>The C# name, as shown in paths.</summary>
    public string Name { get; }

    /// <summary>The declared type.</summary>
    public Type Type { get; }

    /// <summary>".Name", built once so walking a value does not allocate it again.</summary>
    public string PathText { get; }

    /// <summary>False for pointers and ref structs: reflection cannot hand those out as objects.</summary>
    public bool CanRead => !Type.IsByRefLike && !Type.IsPointer && !Type.IsFunctionPointer;

    /// <summary>Reads the member; a throwing getter throws its own exception, unwrapped.</summary>
    public object? Read(object owner) =>
        _property is not null
            ? _property.GetValue(owner, BindingFlags.DoNotWrapExceptions, binder: null, index: null, culture: null)
            : _field!.GetValue(owner);
}
