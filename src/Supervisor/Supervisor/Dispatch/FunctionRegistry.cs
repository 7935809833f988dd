using System.Collections.Concurrent;
using System.Reflection;

namespace Supervisor.Dispatch;

/// <summary>
/// Gives each function a small id, once per group, so that tasks carry an integer; each worker is told what
/// an id means the first time it meets it.
/// </summary>
internal sealed class FunctionRegistry
{
    private readonly ConcurrentDictionary<Function, int> _ids = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentDictionary<MethodInfo, Function> _fromDelegates = new();
    private readonly ConcurrentDictionary<int, (Function Function, ReadOnlyMemory<byte> FixedArguments)> _byId = new();
    private int _next;

    /// <summary>The function behind a delegate, checked for captured state once per method.</summary>
    public Function FromDelegate(Delegate function)
    {
        ArgumentNullException.ThrowIfNull(function);
        // The capture check depends on the delegate's target, so it runs every time; it is a few field reads.
        if (function.Target is not null) ClosureInspector.EnsureCaptureFree(function);
        return _fromDelegates.GetOrAdd(function.Method, static (_, d) => Function.FromDelegate(d), function);
    }

    /// <summary>The id of <paramref name="function"/>, registering it the first time.</summary>
    /// <remarks>Looked up first: the method group passed to GetOrAdd makes a delegate each time, so only a new function pays for one.</remarks>
    public int IdOf(Function function) => _ids.TryGetValue(function, out var id) ? id : _ids.GetOrAdd(function, Register);

    private int Register(Function function)
    {
        var id = Interlocked.Increment(ref _next);
        _byId[id] = (function, function.SerializeFixedArguments());
        return id;
    }

    /// <summary>What the worker needs to define <paramref name="id"/>.</summary>
    public (Function Function, ReadOnlyMemory<byte> FixedArguments) Get(int id) => _byId[id];
}
