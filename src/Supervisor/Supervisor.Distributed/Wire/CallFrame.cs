using System.Buffers;
using MessagePack;
using Supervisor.Protocol.Serialization;
using System.Runtime.CompilerServices;

namespace Supervisor.Distributed.Wire;

/// <summary>
/// A task as it lies in the queue's stream: <c>[format, task id, reply key, [assembly, version, type, method,
/// [parameter types]], {fixed arguments}, [calls]]</c>, each call <c>[0, [values]]</c> (positional) or
/// <c>[1, {name: value}]</c> (named). Values are written by their runtime type and read by the parameter's type.
/// </summary>
internal sealed record CallFrame(string TaskId, string ReplyKey, FunctionName Function,
    IReadOnlyDictionary<string, ReadOnlyMemory<byte>> Fixed, IReadOnlyList<EncodedCall> Calls)
{
    private const int Format = 1;
    // The name a value is checked under as it is written; its place in the task replaces it only if it is refused (Placed).
    private const string PathRoot = "args";

    /// <summary>
    /// Serializes a task of <paramref name="calls"/> in the caller's thread, each value checked by
    /// <paramref name="checker"/> (the pool's own check: handles, delegates, streams and the like are refused by rule,
    /// and what MessagePack cannot write is refused naming its place), so nothing that cannot cross is sent.
    /// </summary>
    /// <exception cref="UnserializableValueException">An argument cannot cross; the message names the call and argument.</exception>
    /// <exception cref="ArgumentException">The frame is larger than <paramref name="maxBytes"/>.</exception>
    public static byte[] Encode(string taskId, string replyKey, FunctionName name, Function function, IReadOnlyList<Arguments> calls,
        SerializabilityChecker checker, int maxBytes)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        WriteHead(ref writer, taskId, replyKey, name, function, checker, calls.Count);
        for (var i = 0; i < calls.Count; i++)
        {
            var call = calls[i];
            if (call.Named is { } named)
            {
                writer.WriteArrayHeader(2);
                writer.Write(1);
                WriteNamed(ref writer, checker, named, function, $"call {i}, ");
            }
            else
            {
                var positional = call.Positional ?? [];
                writer.WriteArrayHeader(2);
                writer.Write(0);
                writer.WriteArrayHeader(positional.Count);
                for (var j = 0; j < positional.Count; j++) WriteValue(ref writer, checker, positional[j], function, i, j);
            }
        }
        return Finish(ref writer, buffer, function, maxBytes);
    }

    /// <summary>
    /// Serializes a task of the calls <c>function(items[i])</c> for <paramref name="start"/> ≤ i &lt; <paramref name="end"/>
    /// as <see cref="Encode"/> would write them, each value by <paramref name="values"/> (the check and formatter of
    /// <typeparamref name="T"/>, looked up once): for a map of a type whose values are all of that type (a value type or a
    /// sealed one), with no boxed <see cref="Arguments"/> per item.
    /// </summary>
    /// <inheritdoc cref="Encode" path="/exception"/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static byte[] EncodeItems<T>(string taskId, string replyKey, FunctionName name, Function function, IReadOnlyList<T> items, int start, int end,
        SerializabilityChecker checker, CheckedWriter<T> values, int maxBytes)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        WriteHead(ref writer, taskId, replyKey, name, function, checker, end - start);
        if (PrimitiveCodec<T>.IsSupported)
        {
            // A primitive needs no check: written straight into the frame, as the local pool writes its chunks.
            var span = writer.GetSpan((end - start) * (SingleValueCalls.Head.Length + PrimitiveCodec<T>.MaxBytes));
            var written = 0;
            for (var i = start; i < end; i++)
            {
                SingleValueCalls.Head.CopyTo(span[written..]);
                written += SingleValueCalls.Head.Length;
                written += PrimitiveCodec<T>.Write(span[written..], items[i]);
            }
            writer.Advance(written);
            return Finish(ref writer, buffer, function, maxBytes);
        }
        for (var i = start; i < end; i++)
        {
            writer.WriteArrayHeader(2);
            writer.Write(0);
            writer.WriteArrayHeader(1);
            try
            {
                values.Write(ref writer, items[i], PathRoot);
            }
            catch (UnserializableValueException e)
            {
                throw Placed(e, function, i - start, 0);
            }
        }
        return Finish(ref writer, buffer, function, maxBytes);
    }

    // Everything before the calls: the frame's fields and the calls' array header.
    private static void WriteHead(ref MessagePackWriter writer, string taskId, string replyKey, FunctionName name, Function function,
        SerializabilityChecker checker, int callCount)
    {
        writer.WriteArrayHeader(6);
        writer.Write(Format);
        writer.Write(taskId);
        writer.Write(replyKey);
        writer.WriteArrayHeader(5);
        writer.Write(name.AssemblyName);
        writer.Write(name.AssemblyVersion);
        writer.Write(name.TypeName);
        writer.Write(name.MethodName);
        writer.WriteArrayHeader(name.ParameterTypes.Count);
        foreach (var parameterType in name.ParameterTypes) writer.Write(parameterType);
        WriteNamed(ref writer, checker, function.FixedArguments, function, "fixed ");
        writer.WriteArrayHeader(callCount);
    }

    private static byte[] Finish(ref MessagePackWriter writer, ArrayBufferWriter<byte> buffer, Function function, int maxBytes)
    {
        writer.Flush();
        if (buffer.WrittenCount > maxBytes)
        {
            throw new ArgumentException(
                $"The task for {function.Name} is {buffer.WrittenCount} bytes, over the limit of {maxBytes}: send smaller chunks or put large data in a file or store and pass its name.");
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a frame taken from Redis: untrusted bytes, already checked against the size limit.</summary>
    /// <exception cref="WireFormatException">The bytes are not a call frame.</exception>
    public static CallFrame Decode(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            var reader = new MessagePackReader(bytes);
            Expect(reader.ReadArrayHeader(), 6, "call frame");
            var format = reader.ReadInt32();
            if (format != Format) throw new WireFormatException($"call frame: format {format}, this node reads format {Format}");
            var taskId = ReadString(ref reader, "task id");
            var replyKey = ReadString(ref reader, "reply key");
            Expect(reader.ReadArrayHeader(), 5, "function name");
            var assembly = ReadString(ref reader, "assembly");
            var version = ReadString(ref reader, "version");
            var type = ReadString(ref reader, "type");
            var method = ReadString(ref reader, "method");
            var parameterCount = ReadCount(reader.ReadArrayHeader(), ref reader, bytes);
            var parameters = new string[parameterCount];
            for (var i = 0; i < parameterCount; i++) parameters[i] = ReadString(ref reader, "parameter type");
            var fixedArguments = ReadNamed(ref reader, bytes);
            var callCount = ReadCount(reader.ReadArrayHeader(), ref reader, bytes);
            // A map's chunk (each call one value) is kept as its values' bounds; any other task is read call by call.
            IReadOnlyList<EncodedCall> calls;
            if (SingleValueCalls.TryRead(bytes, (int)reader.Consumed, callCount, out var end) is { } singles)
            {
                calls = singles;
                if (end != bytes.Length) throw new WireFormatException("call frame: bytes after its end");
            }
            else
            {
                calls = ReadCalls(ref reader, bytes, callCount);
                if (!reader.End) throw new WireFormatException("call frame: bytes after its end");
            }
            return new CallFrame(taskId, replyKey, new FunctionName(assembly, version, type, method, parameters), fixedArguments, calls);
        }
        catch (Exception e) when (e is MessagePackSerializationException or EndOfStreamException or OverflowException)
        {
            throw new WireFormatException($"call frame: {e.Message}", e);
        }
    }

    private static EncodedCall[] ReadCalls(ref MessagePackReader reader, ReadOnlyMemory<byte> bytes, int callCount)
    {
        var calls = new EncodedCall[callCount];
        for (var i = 0; i < callCount; i++)
        {
            Expect(reader.ReadArrayHeader(), 2, "call");
            calls[i] = reader.ReadInt32() switch
            {
                0 => new EncodedCall(ReadPositional(ref reader, bytes), null),
                1 => new EncodedCall(null, ReadNamed(ref reader, bytes)),
                var mode => throw new WireFormatException($"call {i}: unknown argument mode {mode}"),
            };
        }
        return calls;
    }

    private static void WriteNamed(ref MessagePackWriter writer, SerializabilityChecker checker, IReadOnlyDictionary<string, object?> values,
        Function function, string place)
    {
        writer.WriteMapHeader(values.Count);
        foreach (var (name, value) in values)
        {
            writer.Write(name);
            if (value is null) writer.WriteNil();
            else checker.Write(ref writer, value, value.GetType(), $"{function.Name}({place}{name})");
        }
    }

    // Written by the value's runtime type: the node reads it by the parameter's declared type. The value's place is
    // named only if it is refused: a map's hot loop formats no string per value.
    private static void WriteValue(ref MessagePackWriter writer, SerializabilityChecker checker, object? value, Function function, int call, int argument)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }
        try
        {
            checker.Write(ref writer, value, value.GetType(), PathRoot);
        }
        catch (UnserializableValueException e)
        {
            throw Placed(e, function, call, argument);
        }
    }

    /// <summary>A value refused under <see cref="PathRoot"/>, named at its place in the task: <c>F(call 7, args[0]).Member</c>.</summary>
    private static UnserializableValueException Placed(UnserializableValueException refused, Function function, int call, int argument) =>
        new($"{function.Name}(call {call}, args[{argument}]){refused.Path[PathRoot.Length..]}", refused.ValueType, refused.Reason, refused.Advice,
            refused.InnerException);

    private static ReadOnlyMemory<byte>[] ReadPositional(ref MessagePackReader reader, ReadOnlyMemory<byte> bytes)
    {
        var count = ReadCount(reader.ReadArrayHeader(), ref reader, bytes);
        var values = new ReadOnlyMemory<byte>[count];
        for (var i = 0; i < count; i++) values[i] = ReadRaw(ref reader, bytes);
        return values;
    }

    private static Dictionary<string, ReadOnlyMemory<byte>> ReadNamed(ref MessagePackReader reader, ReadOnlyMemory<byte> bytes)
    {
        var count = ReadCount(reader.ReadMapHeader(), ref reader, bytes);
        var values = new Dictionary<string, ReadOnlyMemory<byte>>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var name = ReadString(ref reader, "argument name");
            if (!values.TryAdd(name, ReadRaw(ref reader, bytes))) throw new WireFormatException($"argument '{name}' given twice");
        }
        return values;
    }

    /// <summary>A slice of the frame's own bytes: one complete value, skipped over (so checked well-formed), not copied.</summary>
    private static ReadOnlyMemory<byte> ReadRaw(ref MessagePackReader reader, ReadOnlyMemory<byte> bytes)
    {
        var start = (int)reader.Consumed;
        reader.Skip();
        return bytes[start..(int)reader.Consumed];
    }

    /// <summary>A count from the wire, refused if more elements than bytes are left (each takes one at least), before anything is allocated for it.</summary>
    private static int ReadCount(int count, ref MessagePackReader reader, ReadOnlyMemory<byte> bytes) =>
        count <= bytes.Length - reader.Consumed ? count : throw new WireFormatException($"call frame: {count} elements announced, {bytes.Length - reader.Consumed} bytes left");

    private static string ReadString(ref MessagePackReader reader, string what) =>
        reader.ReadString() ?? throw new WireFormatException($"call frame: {what} is nil");

    private static void Expect(int actual, int expected, string what)
    {
        if (actual != expected) throw new WireFormatException($"{what}: {actual} fields, expected {expected}");
    }
}
