using System.Reflection;
using MessagePack;
using Supervisor.Protocol.Functions;
using Supervisor.Protocol.Serialization;

namespace Supervisor;

/// <summary>
/// A function that can run in a worker: a public static method, or a lambda that captures nothing, named by
/// reference as Python pickles module-level functions. Immutable; <see cref="Bind"/> returns a new one.
/// </summary>
public sealed class Function
{
    private readonly IReadOnlyDictionary<string, object?> _fixed;

    private Function(MethodInfo method, FunctionReference reference, IReadOnlyDictionary<string, object?> fixedArguments)
    {
        Method = method;
        Reference = reference;
        _fixed = fixedArguments;
        Parameters = method.GetParameters();
    }

    /// <summary>The method that runs.</summary>
    public MethodInfo Method { get; }

    /// <summary><c>Namespace.Type.Method</c>.</summary>
    public string Name => Reference.DisplayName;

    /// <summary>The method's parameters, bound ones included.</summary>
    public IReadOnlyList<ParameterInfo> Parameters { get; }

    /// <summary>Arguments fixed by <see cref="Bind"/>, by parameter name.</summary>
    public IReadOnlyDictionary<string, object?> FixedArguments => _fixed;

    internal FunctionReference Reference { get; }

    /// <summary>
    /// The function behind a delegate. A lambda that captures variables (or <c>this</c>) is refused, naming what
    /// it captured: the worker would silently run it without that state.
    /// </summary>
    /// <exception cref="UnserializableValueException">The delegate captures state, or is not a runnable method.</exception>
    public static Function FromDelegate(Delegate function)
    {
        ArgumentNullException.ThrowIfNull(function);
        ClosureInspector.EnsureCaptureFree(function);
        if (function.GetInvocationList().Length > 1)
        {
            throw new UnserializableValueException("function", function.GetType(),
                "a multicast delegate cannot cross a process boundary", "pass one method at a time");
        }
        return FromMethod(function.Method);
    }

    /// <summary>The function for a method found by reflection.</summary>
    public static Function FromMethod(MethodInfo method)
    {
        ArgumentNullException.ThrowIfNull(method);
        var type = method.DeclaringType
            ?? throw new ArgumentException("A global method has no type to name it by.", nameof(method));
        var reference = new FunctionReference(
            Path.GetFullPath(type.Assembly.Location), type.FullName!, method.Name, method.MetadataToken);
        if (string.IsNullOrEmpty(type.Assembly.Location))
        {
            throw new ArgumentException($"{reference.DisplayName} is in an assembly loaded from memory; a worker can only load assemblies from files.", nameof(method));
        }
        return new Function(method, reference, new Dictionary<string, object?>());
    }

    /// <summary>The function <c>Namespace.Type.Method</c> of the assembly at <paramref name="assemblyPath"/> (see <see cref="FunctionLoader"/>).</summary>
    internal static Function Load(string assemblyPath, string qualifiedName, UserAssemblyLoader loader)
    {
        var method = new FunctionResolver(loader).Resolve(assemblyPath, qualifiedName, out var reference);
        return new Function(method, reference with { MetadataToken = method.MetadataToken }, new Dictionary<string, object?>());
    }

    /// <summary>
    /// A copy with <paramref name="parameterName"/> fixed to <paramref name="value"/>, as Python's
    /// <c>functools.partial(fn, exponent=2)</c>. Checked now: the name must exist and the value must be able to
    /// cross a process boundary.
    /// </summary>
    public Function Bind(string parameterName, object? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(parameterName);
        if (!Parameters.Any(p => p.Name == parameterName))
        {
            throw new ArgumentException(
                $"{Name} has no parameter '{parameterName}'; its parameters are {string.Join(", ", Parameters.Select(p => p.Name))}.");
        }
        // Sent by its runtime type, as every argument is; the worker reads it by the parameter's type.
        new SerializabilityChecker(WireSerializer.Options).Check(value, value?.GetType() ?? typeof(object), $"{Name}({parameterName})");
        var fixedArguments = new Dictionary<string, object?>(_fixed) { [parameterName] = value };
        return new Function(Method, Reference, fixedArguments);
    }

    /// <summary>The fixed arguments as the MessagePack map the worker reads, or empty.</summary>
    internal ReadOnlyMemory<byte> SerializeFixedArguments()
    {
        if (_fixed.Count == 0) return ReadOnlyMemory<byte>.Empty;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        var checker = new SerializabilityChecker(WireSerializer.Options);
        writer.WriteMapHeader(_fixed.Count);
        foreach (var (name, value) in _fixed)
        {
            writer.Write(name);
            checker.Write(ref writer, value, value?.GetType() ?? typeof(object), $"{Name}({name})");
        }
        writer.Flush();
        return buffer.WrittenMemory;
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
