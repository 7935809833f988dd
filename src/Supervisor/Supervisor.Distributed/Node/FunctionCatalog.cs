using System.Collections.Concurrent;
using System.Reflection;
using Supervisor.Distributed.Wire;

namespace Supervisor.Distributed.Node;

/// <summary>
/// The assemblies a node serves, and the functions of them resolved so far. A call is run only if it names an
/// assembly loaded here, at the same version, and a method there with the same parameter types; otherwise the caller
/// gets an error saying which of these differs.
/// </summary>
internal sealed class FunctionCatalog
{
    private readonly Dictionary<string, Assembly> _assemblies = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Resolution> _resolved = new(StringComparer.Ordinal);
    private readonly string _nodeName;

    /// <exception cref="ArgumentException">A path is not an assembly that can be loaded.</exception>
    public FunctionCatalog(IReadOnlyList<string> assemblyPaths, string nodeName)
    {
        _nodeName = nodeName;
        foreach (var path in assemblyPaths)
        {
            var fullPath = Path.GetFullPath(path);
            if (!File.Exists(fullPath)) throw new ArgumentException($"Assembly {fullPath}: no such file.", nameof(assemblyPaths));
            Assembly assembly;
            try
            {
                // LoadFrom: its dependencies are found beside it, as the workers find them.
                assembly = Assembly.LoadFrom(fullPath);
            }
            catch (BadImageFormatException e)
            {
                throw new ArgumentException($"Assembly {fullPath}: not a .NET assembly ({e.Message}).", nameof(assemblyPaths), e);
            }
            _assemblies[assembly.GetName().Name!] = assembly;
        }
    }

    /// <summary>The assemblies served, as <c>Name Version</c>.</summary>
    public IEnumerable<string> Served => _assemblies.Values.Select(a => $"{a.GetName().Name} {a.GetName().Version}");

    /// <summary>The function <paramref name="name"/>, or why this node cannot run it.</summary>
    public bool TryResolve(FunctionName name, out NodeFunction? function, out string error)
    {
        var resolution = _resolved.GetOrAdd(name.DisplayName, _ => Resolve(name));
        function = resolution.Function;
        error = resolution.Error;
        return function is not null;
    }

    private Resolution Resolve(FunctionName name)
    {
        var served = _assemblies.Count == 0 ? "none" : string.Join(", ", Served);
        if (!_assemblies.TryGetValue(name.AssemblyName, out var assembly))
        {
            return new Resolution(null,
                $"node {_nodeName} does not serve assembly {name.AssemblyName} (it serves {served}); start nodes with --assembly path/to/{name.AssemblyName}.dll");
        }
        var version = assembly.GetName().Version?.ToString() ?? "";
        if (version != name.AssemblyVersion)
        {
            return new Resolution(null,
                $"the call asks for {name.AssemblyName} {name.AssemblyVersion}, node {_nodeName} has {name.AssemblyName} {version} ({assembly.Location}); " +
                "run nodes with the caller's build of the assembly");
        }
        var type = assembly.GetType(name.TypeName, throwOnError: false);
        var method = type?.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .FirstOrDefault(m => m.Name == name.MethodName && name.MatchesParameters(m) && FunctionName.IsReachable(type, m));
        return method is null
            ? new Resolution(null, $"{name.AssemblyName} {version} on node {_nodeName} has no public static method {name.DisplayName}")
            : new Resolution(new NodeFunction(method), "");
    }

    private sealed record Resolution(NodeFunction? Function, string Error);
}
