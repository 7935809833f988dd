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
    private readonly Func<ProcessPool, Function, IReadOnlyList<Arguments>, CancellationToken, Task<IReadOnlyList<(byte[]? Value, Exception? Error)>>> _run;

    public NodeFunction(MethodInfo method)
    {
        Function = Function.FromMethod(method);
        _parameters = method.GetParameters();
        _run = RunTypedMethod.MakeGenericMethod(ResultTypeOf(method.ReturnType))
            .CreateDelegate<Func<ProcessPool, Function, IReadOnlyList<Arguments>, CancellationToken, Task<IReadOnlyList<(byte[]? Value, Exception? Error)>>>>();
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

    /// <summary>
    /// Runs the calls on the pool; for each, its result serialized by the method's declared result type, or the error
    /// it ended with (a <see cref="PoolBrokenException"/> or cancellation among them, for the caller to rethrow).
    /// </summary>
    public Task<IReadOnlyList<(byte[]? Value, Exception? Error)>> RunAsync(ProcessPool pool, Function bound, IReadOnlyList<Arguments> calls,
        CancellationToken cancellationToken) =>
        _run(pool, bound, calls, cancellationToken);

    private static async Task<IReadOnlyList<(byte[]? Value, Exception? Error)>> RunTypedAsync<TResult>(ProcessPool pool, Function function,
        IReadOnlyList<Arguments> calls, CancellationToken cancellationToken)
    {
        var results = new (byte[]? Value, Exception? Error)[calls.Count];
        if (calls.Count == 1)
        {
            try
            {
                results[0] = Encode(await pool.SubmitAsync<TResult>(function, calls[0], cancellationToken).ConfigureAwait(false));
            }
            catch (Exception e)
            {
                results[0] = (null, e);
            }
            return results;
        }
        // Several calls travel to the workers in chunks, as MapAsync sends them (Python's rule), not a frame each.
        var chunkSize = Math.Max(1, (calls.Count + (4 * Math.Max(1, pool.Workers.Count)) - 1) / (4 * Math.Max(1, pool.Workers.Count)));
        await foreach (var outcome in pool.ImapOutcomes<TResult>(function, calls.ToAsyncEnumerable(), ordered: false, chunkSize, cancellationToken).ConfigureAwait(false))
        {
            results[outcome.Index] = outcome.Error is null ? Encode(outcome.Value!) : (null, outcome.Error);
        }
        return results;
    }

    /// <summary>A result as it crosses back, by its declared type; one MessagePack cannot write is the call's error.</summary>
    private static (byte[]? Value, Exception? Error) Encode<TResult>(TResult value)
    {
        try
        {
            return (MessagePackSerializer.Serialize(value, DistributedSerializer.Options), null);
        }
        catch (MessagePackSerializationException e)
        {
            return (null, e);
        }
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
