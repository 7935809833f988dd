namespace Supervisor.Protocol.Messages;

/// <summary>One static member's value, as the parent held it when the worker started.</summary>
/// <param name="AssemblyPath">The full path of the assembly that declares the member.</param>
/// <param name="TypeName">The declaring type's full name (nested types joined with <c>+</c>).</param>
/// <param name="MemberName">The static field or property.</param>
/// <param name="Value">The value, serialized as the member's declared type.</param>
internal sealed record InheritedValue(string AssemblyPath, string TypeName, string MemberName, ReadOnlyMemory<byte> Value)
{
    /// <summary><c>Namespace.Type.Member</c>, as a user would write it.</summary>
    public string DisplayName => $"{TypeName.Replace('+', '.')}.{MemberName}";
}
