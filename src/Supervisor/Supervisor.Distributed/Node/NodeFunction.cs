using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using MessagePack;
using Supervisor.Distributed.Wire;
using Supervisor.Protocol.Serialization;

namespace Supervisor.Distributed.Node;

/// <summary>
/// A function a node resolved from a call's name: the local pool's <see cref="Supervisor.Function"/>, how to read a
/// call's arguments (by the parameters' declared types, never by a name from the wire), and how to run it on the
/// pool and serialize its result by its declared type.
/// </summary>
internal sealed class NodeFunction
{
    private static readonly MethodInfo RunEachMethod =
        typeof(NodeFunction).GetMethod(nameof(RunEachAsync), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo RunItemsMethod =
        typeof(NodeFunction).GetMethod(nameof(RunItemsAsync), BindingFlags.NonPublic | BindingFlags.Static)!;

    private readonly ParameterInfo[] _parameters;
    private readonly Func<NodeFunction, ProcessPool, Function, IReadOnlyList<EncodedCall>, CancellationToken, Task<CallResults>> _runEach;
    // By the type of the one parameter a task's fixed arguments leave open (they may differ from task to task).
    private readonly ConcurrentDictionary<Type, Func<ProcessPool, Function, SingleValueCalls, CancellationToken, Task<CallResults>>> _runItems = new();
    private readonly Type _resultType;

    public NodeFunction(MethodInfo method)
    {
        Function = Function.FromMethod(method);
        _parameters = method.GetParameters();
        _resultType = ResultTypeOf(method.ReturnType);
        _runEach = RunEachMethod.MakeGenericMethod(_resultType)
            .CreateDelegate<Func<NodeFunction, ProcessPool, Function, IReadOnlyList<EncodedCall>, CancellationToken, Task<CallResults>>>();
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
    /// Reads the calls' arguments and runs them on the pool: for each, its value of the method's declared result type, or
    /// the error it ended with: an <see cref="ArgumentException"/> for arguments that cannot be read (that call alone),
    /// a <see cref="PoolBrokenException"/> or cancellation among them for the caller to rethrow.
    /// </summary>
    public Task<CallResults> RunAsync(ProcessPool pool, Function bound, IReadOnlyList<EncodedCall> calls, CancellationToken cancellationToken)
    {
        var open = OpenParameters(bound);
        if (calls is SingleValueCalls { Count: > 1 } items && open.Length == 1)
        {
            // Every call one value for the one open parameter: read straight from the frame as typed values and run as
            // the pool's map (its chunks written at once), not a boxed Arguments per call.
            var run = _runItems.GetOrAdd(open[0].ParameterType, static (type, resultType) => RunItemsMethod.MakeGenericMethod(type, resultType)
                .CreateDelegate<Func<ProcessPool, Function, SingleValueCalls, CancellationToken, Task<CallResults>>>(), _resultType);
            return run(pool, bound, items, cancellationToken);
        }
        return _runEach(this, pool, bound, calls, cancellationToken);
    }

    /// <summary>Calls of any shape, each read into an <see cref="Arguments"/>: one submitted alone, several as the pool's stream of calls.</summary>
    private static async Task<CallResults> RunEachAsync<TResult>(NodeFunction self, ProcessPool pool, Function bound, IReadOnlyList<EncodedCall> calls,
        CancellationToken cancellationToken)
    {
        var values = new TResult[calls.Count];
        var errors = new Exception?[calls.Count];
        var runnable = new List<(int Index, Arguments Arguments)>(calls.Count);
        for (var i = 0; i < calls.Count; i++)
        {
            try
            {
                runnable.Add((i, self.ReadArguments(calls[i], bound)));
            }
            catch (ArgumentException e)
            {
                errors[i] = e;
            }
        }
        if (runnable.Count == 1)
        {
            try
            {
                values[runnable[0].Index] = await pool.SubmitAsync<TResult>(bound, runnable[0].Arguments, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                errors[runnable[0].Index] = e;
            }
        }
        else if (runnable.Count > 1)
        {
            // Several calls travel to the workers in chunks, as MapAsync sends them (Python's rule), not a frame each.
            var workers = 4 * Math.Max(1, pool.Workers.Count);
            var chunkSize = Math.Max(1, (runnable.Count + workers - 1) / workers);
            await foreach (var outcome in pool.ImapOutcomes<TResult>(bound, runnable.Select(r => r.Arguments).ToAsyncEnumerable(), ordered: false, chunkSize,
                cancellationToken).ConfigureAwait(false))
            {
                var index = runnable[outcome.Index].Index;
                if (outcome.Error is null) values[index] = outcome.Value!;
                else errors[index] = outcome.Error;
            }
        }
        return new TypedCallResults<TResult>(values, errors);
    }

    /// <summary>Calls of one value each, read as <typeparamref name="T"/> straight from the frame and run as one map; a value that cannot be read fails its call alone.</summary>
    private static async Task<CallResults> RunItemsAsync<T, TResult>(ProcessPool pool, Function function, SingleValueCalls calls, CancellationToken cancellationToken)
    {
        var errors = new Exception?[calls.Count];
        var (items, indexes) = ReadItems<T>(function, calls, errors);
        var (ran, ranErrors) = await pool.MapOutcomesAsync<T, TResult>(function, items, cancellationToken).ConfigureAwait(false);
        return new TypedCallResults<TResult>(Place(ran, ranErrors, indexes, errors), errors);
    }

    /// <summary>The map's values and errors put back in their calls' places (<paramref name="indexes"/>); errors go into <paramref name="errors"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static TResult[] Place<TResult>(TResult[] ran, Exception?[] ranErrors, List<int> indexes, Exception?[] errors)
    {
        var values = new TResult[errors.Length];
        for (var i = 0; i < ran.Length; i++)
        {
            if (ranErrors[i] is { } error) errors[indexes[i]] = error;
            else values[indexes[i]] = ran[i];
        }
        return values;
    }

    /// <summary>The calls' values read as <typeparamref name="T"/>, with their indexes; a value that cannot be read is its call's error in <paramref name="errors"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (List<T> Items, List<int> Indexes) ReadItems<T>(Function function, SingleValueCalls calls, Exception?[] errors)
    {
        var formatter = DistributedSerializer.Options.Resolver.GetFormatterWithVerify<T>();
        var items = new List<T>(calls.Count);
        var indexes = new List<int>(calls.Count);
        for (var i = 0; i < calls.Count; i++)
        {
            // Each value alone, within its bounds: one that is not a T fails its call, not the others.
            var value = calls.Value(i);
            var position = 0;
            if (PrimitiveCodec<T>.IsSupported && PrimitiveCodec<T>.TryRead(value.Span, ref position, out var primitive) && position == value.Length)
            {
                items.Add(primitive);
                indexes.Add(i);
                continue;
            }
            var reader = new MessagePackReader(value);
            try
            {
                items.Add(formatter.Deserialize(ref reader, DistributedSerializer.Options));
                indexes.Add(i);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                errors[i] = Unreadable(function, typeof(T), "args[0]", e);
            }
        }
        return (items, indexes);
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

    private static ArgumentException Unreadable(Function function, Type type, string path, Exception error) =>
        new($"{function.Name}({path}): the value cannot be read as {type}: {(error is MessagePackSerializationException { InnerException: { } inner } ? inner : error).Message}", error);

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
