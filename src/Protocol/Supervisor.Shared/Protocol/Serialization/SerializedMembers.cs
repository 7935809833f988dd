using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Serialization;
using MessagePack;

namespace Supervisor.Protocol.Serialization;

/// <summary>The members MessagePack's object resolvers write, so the checker looks at exactly those.</summary>
internal static class SerializedMembers
{
    /// <summary>
    /// [MessagePackObject]: members with [Key] (every public one when keys are property names);
    /// [DataContract]: members with [DataMember]; otherwise (contractless): public instance fields and
    /// public readable properties that are not indexers (nor ref structs). [IgnoreMember] and [IgnoreDataMember] always leave a member out.
    /// </summary>
    public static ImmutableArray<WalkMember> Of(Type type)
    {
        var contract = type.GetCustomAttribute<MessagePackObjectAttribute>(inherit: true);
        var keyed = contract is { KeyAsPropertyName: false };
        var dataContract = contract is null && type.IsDefined(typeof(DataContractAttribute), inherit: true);
        // Explicit contracts may mark non-public members; contractless only writes public ones.
        var flags = BindingFlags.Instance | BindingFlags.Public | (keyed || dataContract ? BindingFlags.NonPublic : 0);

        var members = ImmutableArray.CreateBuilder<WalkMember>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in type.GetProperties(flags))
        {
            if (property.GetIndexParameters().Length > 0) continue;
            // A ref struct property (Memory<T>.Span) cannot be read as an object, and no resolver writes one.
            if (property.PropertyType.IsByRefLike) continue;
            var getter = property.GetGetMethod(nonPublic: true);
            if (getter is null || (!keyed && !dataContract && !getter.IsPublic)) continue;
            // A property hidden with "new" shows up twice; the most derived one comes first.
            if (Included(property, keyed, dataContract) && names.Add(property.Name)) members.Add(new WalkMember(property));
        }
        foreach (var field in type.GetFields(flags))
        {
            // Backing fields of auto-properties are already covered by their property.
            if (field.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false)) continue;
            if (Included(field, keyed, dataContract) && names.Add(field.Name)) members.Add(new WalkMember(field));
        }
        return members.ToImmutable();
    }

    private static bool Included(MemberInfo member, bool keyed, bool dataContract)
    {
        if (member.IsDefined(typeof(IgnoreMemberAttribute), inherit: true)) return false;
        if (member.IsDefined(typeof(IgnoreDataMemberAttribute), inherit: true)) return false;
        if (keyed) return member.IsDefined(typeof(KeyAttribute), inherit: true);
        if (dataContract) return member.IsDefined(typeof(DataMemberAttribute), inherit: true);
        return true;
    }
}
