using System.Reflection;
using System.Runtime.CompilerServices;

namespace Supervisor.Distributed.Wire;

/// <summary>
/// How a call names its function between machines: the assembly's simple name and version, the declaring type's
/// full name, the method's name and its parameter types. A node runs a call only if it loaded that assembly at that
/// version and finds that method with those parameters, so it never runs another build's code by the same name.
/// </summary>
internal sealed record FunctionName(string AssemblyName, string AssemblyVersion, string TypeName, string MethodName, IReadOnlyList<string> ParameterTypes)
{
    /// <summary><c>Namespace.Type.Method</c> of <c>Assembly 1.2.0.0</c>.</summary>
    public string DisplayName => $"{TypeName.Replace('+', '.')}.{MethodName}({string.Join(", ", ParameterTypes)}) of {AssemblyName} {AssemblyVersion}";

    /// <summary>The name of <paramref name="method"/>.</summary>
    public static FunctionName Of(MethodInfo method)
    {
        var type = method.DeclaringType ?? throw new ArgumentException("A global method has no type to name it by.", nameof(method));
        var assembly = type.Assembly.GetName();
        return new FunctionName(assembly.Name ?? "", assembly.Version?.ToString() ?? "", type.FullName ?? type.Name, method.Name,
            [.. method.GetParameters().Select(p => TypeNameOf(p.ParameterType))]);
    }

    /// <summary>Whether <paramref name="method"/> has exactly these parameter types.</summary>
    public bool MatchesParameters(MethodInfo method)
    {
        var parameters = method.GetParameters();
        return parameters.Length == ParameterTypes.Count && parameters.Select(p => TypeNameOf(p.ParameterType)).SequenceEqual(ParameterTypes);
    }

    /// <summary>Whether a method of <paramref name="type"/> may be reached by this name: public static, or a capture-free lambda's.</summary>
    public static bool IsReachable(Type type, MethodInfo method) =>
        (method.IsPublic && method.IsStatic && type.IsVisible) || type.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false);

    private static string TypeNameOf(Type type) => type.FullName ?? type.Name;
}
