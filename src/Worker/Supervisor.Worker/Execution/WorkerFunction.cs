using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using MessagePack;
using Supervisor.Protocol.Functions;
using Supervisor.Protocol.Serialization;

namespace Supervisor.Worker.Execution;

/// <summary>A function the supervisor defined: resolved once, then called for every task that names it.</summary>
internal sealed class WorkerFunction
{
    private readonly MethodInfo _method;
    private readonly object? _target;
    private readonly ArgumentBinder _binder;
    private readonly PropertyInfo? _taskResult;

    // A NativeAOT worker keeps only the members its code names: the Result of every Task<T> is read by reflection.
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(Task<>))]
    public WorkerFunction(FunctionReference reference, MethodInfo method, ReadOnlyMemory<byte> fixedArguments, RuntimeTypeSerializer serializer)
    {
        Name = reference.DisplayName;
        _method = method;
        _target = FunctionResolver.TargetFor(method);
        _binder = new ArgumentBinder(Name, method, fixedArguments, serializer);
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

    /// <summary>The type results are serialized as (a <c>Task&lt;T&gt;</c>'s T; object for void).</summary>
    public Type ResultType { get; }

    /// <summary>How long calls took lately, in microseconds; decides whether to flush results before the next.</summary>
    public double RecentMicroseconds { get; private set; } = double.MaxValue;

    public ArgumentBinder Binder => _binder;

    /// <summary>Calls the method and waits for it if it is asynchronous; the user's exception is rethrown as is.</summary>
    public object? Invoke(object?[] arguments)
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
    public void Record(long microseconds) =>
        RecentMicroseconds = RecentMicroseconds == double.MaxValue ? microseconds : (RecentMicroseconds * 0.8) + (microseconds * 0.2);
}
