namespace Supervisor.Protocol.Functions;

/// <summary>
/// Where a function lives, as Python pickles a module-level function: by reference, never by value.
/// </summary>
/// <param name="AssemblyPath">The full path of the assembly that declares the method.</param>
/// <param name="TypeName">The declaring type's full name (nested types joined with <c>+</c>).</param>
/// <param name="MethodName">The method's name.</param>
/// <param name="MetadataToken">
/// The method's metadata token, which tells overloads and compiler-generated lambda bodies apart; 0 when the
/// function was named by text and must be unique by name.
/// </param>
internal sealed record FunctionReference(string AssemblyPath, string TypeName, string MethodName, int MetadataToken)
{
    /// <summary><c>Namespace.Type.Method</c>, as a user would write it.</summary>
    public string DisplayName => $"{TypeName.Replace('+', '.')}.{MethodName}";

    /// <inheritdoc />
    public override string ToString() => DisplayName;
}
