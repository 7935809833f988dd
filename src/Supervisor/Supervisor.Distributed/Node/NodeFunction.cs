using System.Collections.Concurrent;
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
    private static readonly MethodInfo RunItemsMethod =
        typeof(NodeFunction).GetMethod(nameof(RunItemsAsync), BindingFlags.NonPublic | BindingFlags.Static)!;

    private readonly ParameterInfo[] _parameters;
    private readonly Type _resultType;
    private readonly Func<ProcessPool, Function, IReadOnlyList<Arguments>, CancellationToken, Task<IReadOnlyList<(byte[]? Value, Exception? Error)>>> _run;
    // By the type of the one parameter a task's fixed arguments leave open (they may differ from task to task).
    private readonly ConcurrentDictionary<Type, Func<ProcessPool, Function, IReadOnlyList<EncodedCall>, CancellationToken, Task<IReadOnlyList<(byte[]? Value, Exception? Error)>>>> _runItems = new();

    public NodeFunction(MethodInfo method)
    {
        Function = Function.FromMethod(method);
        _parameters = method.GetParameters();
        _resultType = ResultTypeOf(method.ReturnType);
        _run = RunTypedMethod.MakeGenericMethod(_resultType)
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
        var open = OpenParameters(bound);
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
    /// Reads the calls' arguments and runs them on the pool; for each, its result serialized by the method's declared
    /// result type, or the error it ended with: an <see cref="ArgumentException"/> for arguments that cannot be read
    /// (that call alone), a <see cref="PoolBrokenException"/> or cancellation among them for the caller to rethrow.
    /// </summary>
    public Task<IReadOnlyList<(byte[]? Value, Exception? Error)>> RunAsync(ProcessPool pool, Function bound, IReadOnlyList<EncodedCall> calls,
        CancellationToken cancellationToken)
    {
        var open = OpenParameters(bound);
        if (calls.Count > 1 && open.Length == 1 && calls.All(call => call.Positional is { Count: 1 }))
        {
            // Every call one value for the one open parameter: the pool's map path (typed values, chunks written at
            // once), not a boxed Arguments per call.
            var run = _runItems.GetOrAdd(open[0].ParameterType, static (type, resultType) => RunItemsMethod.MakeGenericMethod(type, resultType)
                .CreateDelegate<Func<ProcessPool, Function, IReadOnlyList<EncodedCall>, CancellationToken, Task<IReadOnlyList<(byte[]? Value, Exception? Error)>>>>(),
                _resultType);
            return run(pool, bound, calls, cancellationToken);
        }
        return RunEachAsync(pool, bound, calls, cancellationToken);
    }

    private async Task<IReadOnlyList<(byte[]? Value, Exception? Error)>> RunEachAsync(ProcessPool pool, Function bound, IReadOnlyList<EncodedCall> calls,
        CancellationToken cancellationToken)
    {
        var results = new (byte[]? Value, Exception? Error)[calls.Count];
        var runnable = new List<(int Index, Arguments Arguments)>(calls.Count);
        for (var i = 0; i < calls.Count; i++)
        {
            try
            {
                runnable.Add((i, ReadArguments(calls[i], bound)));
            }
            catch (ArgumentException e)
            {
                results[i] = (null, e);
            }
        }
        var ran = await _run(pool, bound, [.. runnable.Select(r => r.Arguments)], cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < ran.Count; i++) results[runnable[i].Index] = ran[i];
        return results;
    }

    /// <summary>Calls of one value each, read as <typeparamref name="T"/> and run as one map; a value that cannot be read fails its call alone.</summary>
    private static async Task<IReadOnlyList<(byte[]? Value, Exception? Error)>> RunItemsAsync<T, TResult>(ProcessPool pool, Function function,
        IReadOnlyList<EncodedCall> calls, CancellationToken cancellationToken)
    {
        var results = new (byte[]? Value, Exception? Error)[calls.Count];
        var items = new List<T>(calls.Count);
        var indexes = new List<int>(calls.Count);
        for (var i = 0; i < calls.Count; i++)
        {
            try
            {
                items.Add(MessagePackSerializer.Deserialize<T>(calls[i].Positional![0], DistributedSerializer.Options, cancellationToken));
                indexes.Add(i);
            }
            catch (MessagePackSerializationException e)
            {
                results[i] = (null, Unreadable(function, typeof(T), "args[0]", e));
            }
        }
        var (values, errors) = await pool.MapOutcomesAsync<T, TResult>(function, items, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < values.Length; i++) results[indexes[i]] = errors[i] is { } error ? (null, error) : Encode(values[i]);
        return results;
    }

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
            throw Unreadable(Function, parameter.ParameterType, path, e);
        }
    }

    private static ArgumentException Unreadable(Function function, Type type, string path, MessagePackSerializationException error) =>
        new($"{function.Name}({path}): the value cannot be read as {type}: {error.InnerException?.Message ?? error.Message}", error);

    /// <summary>The parameters a call's positional arguments fill: neither a token nor fixed by the task.</summary>
    private ParameterInfo[] OpenParameters(Function bound) =>
        [.. _parameters.Where(p => p.ParameterType != typeof(CancellationToken) && !bound.FixedArguments.ContainsKey(p.Name!))];

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
