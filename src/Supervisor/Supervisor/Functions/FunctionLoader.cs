using Supervisor.Protocol.Functions;

namespace Supervisor;

/// <summary>
/// Finds functions by name in assemblies on disk, as the launcher's <c>--assembly</c> and <c>--function</c> name
/// them. Keep it alive while the functions it found are in use: it resolves their assemblies' dependencies.
/// </summary>
public sealed class FunctionLoader : IDisposable
{
    private readonly UserAssemblyLoader _assemblies = new();

    /// <summary>
    /// The function <c>Namespace.Type.Method</c> of the assembly at <paramref name="assemblyPath"/>. The assembly is
    /// loaded here to check the name and read the parameters.
    /// </summary>
    /// <exception cref="FunctionResolutionException">No such method, or one that may not run in a worker.</exception>
    public Function Load(string assemblyPath, string qualifiedName) => Function.Load(assemblyPath, qualifiedName, _assemblies);

    /// <summary>Stops resolving dependencies of the assemblies loaded.</summary>
    public void Dispose() => _assemblies.Dispose();
}
