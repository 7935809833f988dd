using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.Loader;

namespace Supervisor.Protocol.Functions;

/// <summary>
/// Loads a user's assembly by path and resolves its dependencies from its <c>.deps.json</c>, so that user code
/// needs no reference to this project. Assemblies the host already has (the runtime, MessagePack) are shared
/// with the host, which keeps attribute and formatter types identical on both sides. Assemblies compiled into
/// the executable (a NativeAOT worker, which cannot load any) are answered by name without reading the path.
/// </summary>
internal sealed class UserAssemblyLoader : IDisposable
{
    private readonly ConcurrentDictionary<string, Assembly> _byPath = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<AssemblyDependencyResolver> _resolvers = [];
    private readonly Assembly[] _compiledIn;

    /// <summary>Creates a loader and starts resolving dependencies of the assemblies it loads.</summary>
    public UserAssemblyLoader()
        : this([])
    {
    }

    /// <summary>
    /// Creates a loader that answers a path whose file name (without extension) is the simple name of one of
    /// <paramref name="compiledIn"/> with that assembly, never touching the file, and loads any other path.
    /// </summary>
    /// <param name="compiledIn">Assemblies this executable holds already, e.g. the user's functions in a NativeAOT worker.</param>
    public UserAssemblyLoader(IEnumerable<Assembly> compiledIn)
    {
        ArgumentNullException.ThrowIfNull(compiledIn);
        _compiledIn = [.. compiledIn];
        AssemblyLoadContext.Default.Resolving += ResolveDependency;
        AssemblyLoadContext.Default.ResolvingUnmanagedDll += ResolveNativeDependency;
    }

    /// <summary>Loads the assembly at <paramref name="path"/>, or returns it if it is loaded already.</summary>
    /// <exception cref="FileNotFoundException">No file is at <paramref name="path"/>.</exception>
    /// <exception cref="BadImageFormatException">The file is not a .NET assembly.</exception>
    /// <exception cref="NotSupportedException">This process cannot load assemblies (NativeAOT) and was not built with this one.</exception>
    public Assembly Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var name = Path.GetFileNameWithoutExtension(path);
        var compiled = Array.Find(_compiledIn, a => string.Equals(SimpleNameOf(a), name, StringComparison.OrdinalIgnoreCase));
        if (compiled is not null) return compiled;
        var fullPath = Path.GetFullPath(path);
        return _byPath.GetOrAdd(fullPath, LoadNew);
    }

    /// <summary>Stops resolving dependencies for the loaded assemblies.</summary>
    public void Dispose()
    {
        AssemblyLoadContext.Default.Resolving -= ResolveDependency;
        AssemblyLoadContext.Default.ResolvingUnmanagedDll -= ResolveNativeDependency;
    }

    private Assembly LoadNew(string fullPath)
    {
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException($"No assembly at '{fullPath}'; build it first or correct the path.", fullPath);
        }
        // Loaded straight away: reading the name first (AssemblyName.GetAssemblyName) loads System.Reflection.Metadata
        // and compiles its readers, a cost in every worker's start for the rare case below.
        try
        {
            var resolver = new AssemblyDependencyResolver(fullPath);
            var assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(fullPath);
            _resolvers.Add(resolver);
            return assembly;
        }
        catch (FileLoadException) when (LoadedAlready(fullPath) is { } loaded)
        {
            // An assembly the process already has (a test referencing its fixture, the launcher inspecting one)
            // cannot be loaded a second time into the default context; the one there is the same code.
            return loaded;
        }
        catch (PlatformNotSupportedException e)
        {
            throw new NotSupportedException(
                $"This worker cannot load assemblies at run time (NativeAOT): build {Path.GetFileNameWithoutExtension(fullPath)} into it (WorkerHost.RunAsync's compiledIn).", e);
        }
    }

    // From the display name, not Assembly.GetName(): that one builds the name's CultureInfo, whose first use loads the
    // culture data (ICU on Linux) in every worker's start. A name with escapes or quotes in it takes the full parse.
    private static string? SimpleNameOf(Assembly assembly)
    {
        var display = assembly.FullName;
        var comma = display?.IndexOf(',', StringComparison.Ordinal) ?? -1;
        if (display is null || comma < 0 || display.AsSpan(0, comma).IndexOfAny('\\', '"') >= 0) return assembly.GetName().Name;
        return display[..comma];
    }

    private static Assembly? LoadedAlready(string fullPath)
    {
        var name = AssemblyName.GetAssemblyName(fullPath).Name;
        return AssemblyLoadContext.Default.Assemblies.FirstOrDefault(a =>
            string.Equals(a.GetName().Name, name, StringComparison.OrdinalIgnoreCase));
    }

    private Assembly? ResolveDependency(AssemblyLoadContext context, AssemblyName name)
    {
        foreach (var resolver in _resolvers)
        {
            var path = resolver.ResolveAssemblyToPath(name);
            if (path is not null) return context.LoadFromAssemblyPath(path);
        }
        return null;
    }

    private IntPtr ResolveNativeDependency(Assembly assembly, string name)
    {
        foreach (var resolver in _resolvers)
        {
            var path = resolver.ResolveUnmanagedDllToPath(name);
            if (path is not null) return System.Runtime.InteropServices.NativeLibrary.Load(path);
        }
        return IntPtr.Zero;
    }
}
