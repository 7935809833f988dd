using System.Reflection;
using System.Runtime.CompilerServices;
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
    // The argument TryReadPrimitiveCall read, for RunReadCall.
    private TArgument? _read;

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

    public override bool IsPrimitive => PrimitiveCodec<TArgument>.IsSupported && PrimitiveCodec<TResult>.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool TryReadPrimitiveCall(ReadOnlySpan<byte> bytes, ref int position)
    {
        // A call's arguments are an array: one element here.
        if ((uint)position >= (uint)bytes.Length || bytes[position] != 0x91) return false;
        var after = position + 1;
        if (!PrimitiveCodec<TArgument>.TryRead(bytes, ref after, out var argument)) return false;
        _read = argument;
        position = after;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void RunReadCall() => _result = _function(_read!);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override int WritePrimitiveResult(Span<byte> destination) => PrimitiveCodec<TResult>.Write(destination, _result!);

    public override void WriteResult(ref MessagePackWriter writer, SerializabilityChecker checker)
    {
        _results ??= checker.WriterFor<TResult>();
        _results.Write(ref writer, _result!, "result");
    }

    public override void ClearResult() => _result = default;
}
