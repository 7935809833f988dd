using System.Reflection;
using MessagePack;
using MessagePack.Formatters;
using Supervisor.Protocol.Serialization;

namespace Supervisor.Worker.Execution;

/// <summary>The fast path for a method taking a <typeparamref name="TArgument"/> and returning a <typeparamref name="TResult"/>.</summary>
internal sealed class SingleArgumentCall<TArgument, TResult> : SingleArgumentCall
{
    private readonly Func<TArgument, TResult> _function;
    private readonly IMessagePackFormatter<TArgument> _argument;
    private readonly MessagePackSerializerOptions _options;
    private CheckedWriter<TResult>? _results;
    private TResult? _result;

    public SingleArgumentCall(MethodInfo method, object? target, MessagePackSerializerOptions options)
    {
        _function = method.CreateDelegate<Func<TArgument, TResult>>(target);
        _argument = options.Resolver.GetFormatterWithVerify<TArgument>();
        _options = options;
    }

    public override bool TryCall(MessagePackReader call)
    {
        TArgument argument;
#pragma warning disable CA1031 // Whatever a formatter throws, the general binder reads the call again and reports it.
        try
        {
            if (call.ReadArrayHeader() != 1) return false;
            argument = _argument.Deserialize(ref call, _options);
        }
        catch (Exception)
        {
            return false;
        }
#pragma warning restore CA1031
        _result = _function(argument);
        return true;
    }

    public override void WriteResult(ref MessagePackWriter writer, SerializabilityChecker checker)
    {
        _results ??= checker.WriterFor<TResult>();
        _results.Write(ref writer, _result!, "result");
    }

    public override void ClearResult() => _result = default;
}
