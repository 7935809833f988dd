using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using MessagePack;
using Supervisor.Protocol.Functions;
using Supervisor.Protocol.Messages;
using Supervisor.Protocol.Serialization;
using Supervisor.Protocol.Startup;

namespace Supervisor.Worker.Execution;

/// <summary>A function the supervisor defined: resolved once, then called for every task that names it.</summary>
internal sealed class WorkerFunction
{
    private readonly MethodInfo _method;
    private readonly object? _target;
    private readonly ArgumentBinder _binder;
    private readonly PropertyInfo? _taskResult;
    private readonly SingleArgumentCall? _fast;
    private object? _result;
    private bool _fastHoldsResult;

    // A NativeAOT worker keeps only the members its code names: the Result of every Task<T> is read by reflection.
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(Task<>))]
    public WorkerFunction(FunctionReference reference, MethodInfo method, ReadOnlyMemory<byte> fixedArguments, RuntimeTypeSerializer serializer,
        MessagePackSerializerOptions options)
    {
        Name = reference.DisplayName;
        IsWarmUp = method.DeclaringType == typeof(WarmUp);
        _method = method;
        _target = FunctionResolver.TargetFor(method);
        _binder = new ArgumentBinder(Name, method, fixedArguments, serializer);
        // Fixed arguments fill parameters the fast path knows nothing of.
        _fast = fixedArguments.IsEmpty ? SingleArgumentCall.TryCreate(method, _target, options) : null;
        var returns = method.ReturnType;
        if (returns.IsGenericType && returns.GetGenericTypeDefinition() == typeof(Task<>))
        {
            _taskResult = returns.GetProperty(nameof(Task<object>.Result));
            ResultType = returns.GetGenericArguments()[0];
        }
        else
        {
            ResultType = returns == typeof(Task) || returns == typeof(void) ? typeof(object) : returns;
        }
    }

    /// <summary><c>Namespace.Type.Method</c>.</summary>
    public string Name { get; }

    /// <summary>Whether this is the forkserver's warm-up call, part of a worker's start rather than a task.</summary>
    public bool IsWarmUp { get; }

    /// <summary>The type results are serialized as (a <c>Task&lt;T&gt;</c>'s T; object for void).</summary>
    public Type ResultType { get; }

    /// <summary>How long calls took lately, in microseconds; decides whether to flush results before the next.</summary>
    public double RecentMicroseconds { get; private set; } = double.MaxValue;

    /// <summary>
    /// Runs one call whose arguments <paramref name="call"/> stands at, and keeps its result for
    /// <see cref="WriteResult"/>; waits for an asynchronous method. The user's exception is rethrown as is.
    /// </summary>
    /// <exception cref="ArgumentException">The arguments do not bind to the parameters.</exception>
    public void Call(ref MessagePackReader call, ArgumentMode mode, TaskCancellations cancellations)
    {
        _fastHoldsResult = false;
        if (mode == ArgumentMode.Positional && _fast is not null && _fast.TryCall(call))
        {
            _fastHoldsResult = true;
            return;
        }
        _result = Invoke(_binder.Bind(ref call, mode, cancellations));
    }

    /// <summary>
    /// Whether a positional call may go through <see cref="TryReadPrimitiveCall"/>, <see cref="RunPrimitiveCall"/> and
    /// <see cref="WritePrimitiveResult"/>: one parameter and the result of primitive types, nothing fixed.
    /// </summary>
    public bool TakesPrimitives => _fast is { IsPrimitive: true };

    /// <summary>Reads the next call at <paramref name="position"/> when it is one primitive argument; see <see cref="SingleArgumentCall.TryReadPrimitiveCall"/>.</summary>
    public bool TryReadPrimitiveCall(ReadOnlySpan<byte> bytes, ref int position) => _fast!.TryReadPrimitiveCall(bytes, ref position);

    /// <summary>Runs the call just read, keeping its result for <see cref="WritePrimitiveResult"/> or <see cref="WriteResult"/>.</summary>
    public void RunPrimitiveCall()
    {
        _fastHoldsResult = false;
        _fast!.RunReadCall();
        _fastHoldsResult = true;
    }

    /// <summary>Writes the last result, a primitive, at the start of <paramref name="destination"/>; returns its length.</summary>
    public int WritePrimitiveResult(Span<byte> destination) => _fast!.WritePrimitiveResult(destination);

    /// <summary>Checks and writes the result of the last call, as its declared type.</summary>
    /// <exception cref="UnserializableValueException">The result cannot cross.</exception>
    public void WriteResult(ref MessagePackWriter writer, SerializabilityChecker checker)
    {
        if (_fastHoldsResult) _fast!.WriteResult(ref writer, checker);
        else checker.Write(ref writer, _result, ResultType, "result");
    }

    /// <summary>Lets go of the last result, once it is written.</summary>
    public void ClearResult()
    {
        _result = null;
        _fast?.ClearResult();
    }

    private object? Invoke(object?[] arguments)
    {
        object? value;
        try
        {
            value = _method.Invoke(_target, BindingFlags.DoNotWrapExceptions, null, arguments, null);
        }
        finally
        {
            arguments.AsSpan().Clear();
        }
        if (value is not Task task) return value;
        task.GetAwaiter().GetResult();
        return _taskResult?.GetValue(task);
    }

    /// <summary>Records a call's duration: an average that forgets, so a function that slows down is noticed.</summary>
    public void Record(double microseconds) =>
        RecentMicroseconds = RecentMicroseconds == double.MaxValue ? microseconds : (RecentMicroseconds * 0.8) + (microseconds * 0.2);
}
