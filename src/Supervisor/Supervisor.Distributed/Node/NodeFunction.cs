using System.Reflection;
using MessagePack;
using Supervisor.Distributed.Wire;

namespace Supervisor.Distributed.Node;

/// <summary>
/// A function a node resolved from a call's name: the local pool's <see cref="Supervisor.Function"/>, how to read a
/// call's arguments (by the parameters' declared types, never by a name from the wire), and how to run it on the
/// pool and serialize its result by its declared type.
/// </summary>
internal sealed class NodeFunction
{
    private static readonly MethodInfo RunTypedMethod =
        typeof(NodeFunction).GetMethod(nameof(RunTypedAsync), BindingFlags.NonPublic | BindingFlags.Static)!;

    private readonly ParameterInfo[] _parameters;
    private readonly Func<ProcessPool, Function, Arguments, CancellationToken, Task<byte[]>> _run;

    public NodeFunction(MethodInfo method)
    {
        Function = Function.FromMethod(method);
        _parameters = method.GetParameters();
        _run = RunTypedMethod.MakeGenericMethod(ResultTypeOf(method.ReturnType))
            .CreateDelegate<Func<ProcessPool, Function, Arguments, CancellationToken, Task<byte[]>>>();
    }

    /// <summary>The function with no argument fixed.</summary>
    public Function Function { get; }

    /// <summary>The function with the task's fixed arguments bound (checked as <see cref="Function.Bind"/> checks them).</summary>
    public Function WithFixed(IReadOnlyDictionary<string, ReadOnlyMemory<byte>> fixedArguments)
    {
        var function = Function;
        foreach (var (name, raw) in fixedArguments) function = function.Bind(name, Read(ParameterNamed(name), raw, $"fixed {name}"));
        return function;
    }

    /// <summary>A call's arguments read by the parameters' types: positional ones fill the parameters not fixed, in order.</summary>
    /// <exception cref="ArgumentException">Too many arguments, an unknown name, or a value not of its parameter's type.</exception>
    public Arguments ReadArguments(EncodedCall call, Function bound)
    {
        if (call.Named is { } named)
        {
            var values = new Dictionary<string, object?>(named.Count, StringComparer.Ordinal);
            foreach (var (name, raw) in named) values[name] = Read(ParameterNamed(name), raw, name);
            return Arguments.FromNamed(values);
        }
        var open = _parameters.Where(p => p.ParameterType != typeof(CancellationToken) && !bound.FixedArguments.ContainsKey(p.Name!)).ToArray();
        var positional = call.Positional ?? [];
        if (positional.Count > open.Length)
        {
            throw new ArgumentException($"{Function.Name} takes {open.Length} arguments besides the fixed ones, the call gave {positional.Count}.");
        }
        var arguments = new object?[positional.Count];
        for (var i = 0; i < arguments.Length; i++) arguments[i] = Read(open[i], positional[i], $"args[{i}]");
        return Arguments.Of(arguments);
    }

    /// <summary>Runs one call on the pool; the result serialized by the method's declared result type.</summary>
    public Task<byte[]> RunAsync(ProcessPool pool, Function bound, Arguments arguments, CancellationToken cancellationToken) =>
        _run(pool, bound, arguments, cancellationToken);

    private static async Task<byte[]> RunTypedAsync<TResult>(ProcessPool pool, Function function, Arguments arguments, CancellationToken cancellationToken)
    {
        var result = await pool.SubmitAsync<TResult>(function, arguments, cancellationToken).ConfigureAwait(false);
        return MessagePackSerializer.Serialize(result, DistributedSerializer.Options, cancellationToken);
    }

    private ParameterInfo ParameterNamed(string name) =>
        _parameters.FirstOrDefault(p => p.Name == name && p.ParameterType != typeof(CancellationToken))
        ?? throw new ArgumentException($"{Function.Name} has no parameter '{name}'; its parameters are {string.Join(", ", _parameters.Select(p => p.Name))}.");

    private object? Read(ParameterInfo parameter, ReadOnlyMemory<byte> raw, string path)
    {
        try
        {
            return MessagePackSerializer.Deserialize(parameter.ParameterType, raw, DistributedSerializer.Options);
        }
        catch (MessagePackSerializationException e)
        {
            throw new ArgumentException($"{Function.Name}({path}): the value cannot be read as {parameter.ParameterType}: {e.InnerException?.Message ?? e.Message}", e);
        }
    }

    /// <summary>What the caller receives: <c>T</c> of <c>Task&lt;T&gt;</c> or <c>ValueTask&lt;T&gt;</c>, nothing (object, nil) for void.</summary>
    private static Type ResultTypeOf(Type returnType)
    {
        if (returnType == typeof(void) || returnType == typeof(Task) || returnType == typeof(ValueTask)) return typeof(object);
        if (returnType.IsGenericType && (returnType.GetGenericTypeDefinition() == typeof(Task<>) || returnType.GetGenericTypeDefinition() == typeof(ValueTask<>)))
        {
            return returnType.GetGenericArguments()[0];
        }
        return returnType;
    }
}
