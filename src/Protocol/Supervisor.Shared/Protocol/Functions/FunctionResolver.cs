using System.Reflection;
using System.Runtime.CompilerServices;

namespace Supervisor.Protocol.Functions;

/// <summary>
/// Turns a <see cref="FunctionReference"/> into a method that may run in a worker: a public static method,
/// or the body of a lambda that captures nothing. Nothing else in the assembly (and nothing outside it) can be
/// reached through a reference.
/// </summary>
internal sealed class FunctionResolver(UserAssemblyLoader loader)
{
    private const BindingFlags AnyMethod =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;

    /// <summary>Finds the method a reference names.</summary>
    /// <exception cref="FunctionResolutionException">No such method, several by that name, or one that may not run.</exception>
    public MethodInfo Resolve(FunctionReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        Assembly assembly;
        try
        {
            assembly = loader.Load(reference.AssemblyPath);
        }
        catch (Exception e) when (e is IOException or BadImageFormatException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new FunctionResolutionException($"Cannot load '{reference.AssemblyPath}' for {reference.DisplayName}: {e.Message}", e);
        }
        var type = FindType(assembly, reference.TypeName)
            ?? throw new FunctionResolutionException(
                $"No type '{reference.TypeName}' in {assembly.GetName().Name} ({reference.AssemblyPath}).");
        var method = reference.MetadataToken != 0 ? ByToken(type, reference) : ByName(type, reference);
        EnsureRunnable(method, reference);
        return method;
    }

    /// <summary>
    /// Parses <c>Namespace.Type.Method</c> (nested types with <c>+</c> or <c>.</c>) against the assembly at
    /// <paramref name="assemblyPath"/> and resolves it by name.
    /// </summary>
    public MethodInfo Resolve(string assemblyPath, string qualifiedName, out FunctionReference reference)
    {
        ArgumentException.ThrowIfNullOrEmpty(qualifiedName);
        var dot = qualifiedName.LastIndexOf('.');
        if (dot <= 0 || dot == qualifiedName.Length - 1)
        {
            throw new FunctionResolutionException(
                $"'{qualifiedName}' is not of the form Namespace.Type.Method.");
        }
        var fullPath = Path.GetFullPath(assemblyPath);
        reference = new FunctionReference(fullPath, qualifiedName[..dot], qualifiedName[(dot + 1)..], 0);
        var method = Resolve(reference);
        reference = reference with { TypeName = method.DeclaringType!.FullName! };
        return method;
    }

    /// <summary>The instance a lambda body needs, or null for a static method.</summary>
    public static object? TargetFor(MethodInfo method) =>
        method.IsStatic ? null : RuntimeHelpers.GetUninitializedObject(method.DeclaringType!);

    private static Type? FindType(Assembly assembly, string name)
    {
        var type = assembly.GetType(name, throwOnError: false);
        // Users write nested types with dots, as C# does; the runtime joins them with '+'.
        for (var candidate = name; type is null;)
        {
            var dot = candidate.LastIndexOf('.');
            if (dot < 0) break;
            candidate = string.Concat(candidate.AsSpan(0, dot), "+", candidate.AsSpan(dot + 1));
            type = assembly.GetType(candidate, throwOnError: false);
        }
        return type;
    }

    private static MethodInfo ByToken(Type type, FunctionReference reference)
    {
        MethodBase? method;
        try
        {
            method = type.Module.ResolveMethod(reference.MetadataToken);
        }
        catch (ArgumentException e)
        {
            throw new FunctionResolutionException($"{reference.DisplayName}: the method token does not resolve; was the assembly rebuilt?", e);
        }
        catch (NotSupportedException)
        {
            // NativeAOT keeps no ECMA metadata tokens to resolve: the name decides, and an overload is refused there.
            return ByName(type, reference);
        }
        if (method is not MethodInfo info || info.DeclaringType != type || info.Name != reference.MethodName)
        {
            throw new FunctionResolutionException(
                $"{reference.DisplayName}: the assembly at '{reference.AssemblyPath}' differs from the one the supervisor saw.");
        }
        return info;
    }

    private static MethodInfo ByName(Type type, FunctionReference reference)
    {
        var candidates = type.GetMethods(AnyMethod).Where(m => m.Name == reference.MethodName).ToArray();
        return candidates.Length switch
        {
            0 => throw new FunctionResolutionException($"No method '{reference.MethodName}' on {type.FullName}."),
            1 => candidates[0],
            _ => throw new FunctionResolutionException(
                $"{reference.DisplayName} is overloaded ({candidates.Length} methods); give the one to run a name of its own."),
        };
    }

    private static void EnsureRunnable(MethodInfo method, FunctionReference reference)
    {
        if (method.ContainsGenericParameters)
        {
            throw new FunctionResolutionException($"{reference.DisplayName} is generic; wrap it in a non-generic public static method.");
        }
        if (method.IsStatic && method.IsPublic && IsVisible(method.DeclaringType!)) return;
        if (IsCaptureFreeLambda(method)) return;
        // The forkserver's warm-up call is this assembly's own, internal like the rest of the wire.
        if (method.IsStatic && method.DeclaringType!.Assembly == typeof(FunctionResolver).Assembly) return;
        throw new FunctionResolutionException(
            $"{reference.DisplayName} is not a public static method of a public type; only those (and lambdas that capture nothing) run in workers.");
    }

    private static bool IsVisible(Type type) => type.IsPublic || (type.IsNestedPublic && IsVisible(type.DeclaringType!));

    private static bool IsCaptureFreeLambda(MethodInfo method)
    {
        var type = method.DeclaringType!;
        return type.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false)
            && type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).Length == 0;
    }
}
