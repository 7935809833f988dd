using System.Reflection;
using MessagePack;
using Supervisor.Protocol.Functions;
using Supervisor.Protocol.Messages;
using Supervisor.Protocol.Serialization;

namespace Supervisor.Worker.Execution;

/// <summary>
/// Assigns the static members a fork-started worker inherits, each value read by the member's declared type,
/// before the initializer and the first task run.
/// </summary>
internal sealed class InheritedStateAssigner(UserAssemblyLoader loader, RuntimeTypeSerializer serializer)
{
    private const BindingFlags StaticMembers = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    /// <summary>Assigns every value, in order.</summary>
    /// <exception cref="InvalidOperationException">A member cannot be found, read or assigned here; the message names it.</exception>
    public void Assign(IReadOnlyList<InheritedValue> values)
    {
        foreach (var value in values) Assign(value);
    }

    private void Assign(InheritedValue inherited)
    {
        try
        {
            var type = loader.Load(inherited.AssemblyPath).GetType(inherited.TypeName, throwOnError: true)!;
            if (type.GetField(inherited.MemberName, StaticMembers) is { IsInitOnly: false, IsLiteral: false } field)
            {
                field.SetValue(null, Deserialize(field.FieldType, inherited));
            }
            else if (type.GetProperty(inherited.MemberName, StaticMembers) is { CanWrite: true } property)
            {
                property.SetValue(null, Deserialize(property.PropertyType, inherited));
            }
            else
            {
                throw new MissingMemberException($"{inherited.DisplayName} is not a writable static field or property in '{inherited.AssemblyPath}'.");
            }
        }
        catch (Exception e) when (e is IOException or BadImageFormatException or TypeLoadException or MemberAccessException
                                    or MessagePackSerializationException or TargetInvocationException or ArgumentException)
        {
            throw new InvalidOperationException($"The inherited state {inherited.DisplayName} cannot be assigned in the worker: {e.Message}", e);
        }
    }

    private object? Deserialize(Type type, InheritedValue inherited)
    {
        var reader = new MessagePackReader(inherited.Value);
        return serializer.Deserialize(type, ref reader);
    }
}
