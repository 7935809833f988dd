using System.Buffers;
using MessagePack;
using MessagePack.Formatters;
using Supervisor.Protocol.Serialization;
using System.Runtime.CompilerServices;

namespace Supervisor.Distributed.Wire;

/// <summary>
/// A task's results as a node stores them in its caller's reply stream: <c>[format, task id, node, [outcomes]]</c>,
/// each outcome <c>[kind, value]</c> or <c>[kind, error type, message, stack trace, worker, process id]</c>, one per
/// call, in call order. Read in two steps: the listener reads the head (whose task it is), the caller reads the
/// outcomes by its result type, straight from the frame's bytes.
/// </summary>
/// <param name="TaskId">The task answered.</param>
/// <param name="NodeName">The node that answered.</param>
/// <param name="Outcomes">The bytes of the outcomes, not yet read (untrusted).</param>
/// <param name="Count">How many outcomes the frame announces.</param>
internal sealed record ResultFrame(string TaskId, string NodeName, ReadOnlyMemory<byte> Outcomes, int Count)
{
    private const int Format = 1;

    /// <summary>The head of a returned value's outcome, as MessagePackWriter writes it: fixarray 2, 0.</summary>
    public static ReadOnlySpan<byte> ReturnedHead => [0x92, 0x00];

    /// <summary>
    /// Serializes the outcomes of one task: call i's error if <paramref name="errors"/> has one, else
    /// <paramref name="values"/>[i] by <typeparamref name="TResult"/>. A value MessagePack cannot write becomes its
    /// call's error, the others' values still written.
    /// </summary>
    public static byte[] Encode<TResult>(string taskId, string nodeName, IReadOnlyList<TResult> values, CallError?[] errors)
    {
        var formatter = DistributedSerializer.Options.Resolver.GetFormatterWithVerify<TResult>();
        try
        {
            return Write(taskId, nodeName, values, errors, formatter);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Rare: find each value that cannot be written, make it its call's error, and write the frame again.
            var trial = new ArrayBufferWriter<byte>();
            for (var i = 0; i < values.Count; i++)
            {
                if (errors[i] is not null) continue;
                try
                {
                    var writer = new MessagePackWriter(trial);
                    formatter.Serialize(ref writer, values[i], DistributedSerializer.Options);
                    writer.Flush();
                }
                catch (Exception error) when (error is not OutOfMemoryException)
                {
                    var cause = error is MessagePackSerializationException { InnerException: { } inner } ? inner : error;
                    errors[i] = new CallError(OutcomeKind.Failed, typeof(MessagePackSerializationException).FullName!,
                        $"The result cannot be serialized as {typeof(TResult)}: {cause.Message}", "");
                }
                trial.Clear();
            }
            return Write(taskId, nodeName, values, errors, formatter);
        }
    }

    /// <summary>Every call of a task failed alike (the function is unavailable, the task dead-lettered).</summary>
    public static byte[] EncodeAllFailed(string taskId, string nodeName, int count, CallError error) =>
        Encode<object?>(taskId, nodeName, new object?[count], [.. Enumerable.Repeat(error, count)]);

    // Compiled optimized at once, as every loop over a chunk's values here: tiering would run a first map's in tier-0 code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static byte[] Write<TResult>(string taskId, string nodeName, IReadOnlyList<TResult> values, CallError?[] errors,
        IMessagePackFormatter<TResult> formatter)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(4);
        writer.Write(Format);
        writer.Write(taskId);
        writer.Write(nodeName);
        writer.WriteArrayHeader(values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            if (errors[i] is { } error)
            {
                writer.WriteArrayHeader(6);
                writer.Write((int)error.Kind);
                writer.Write(error.ErrorType);
                writer.Write(error.Message);
                writer.Write(error.StackTrace);
                writer.Write(error.WorkerName);
                writer.Write(error.ProcessId);
            }
            else if (PrimitiveCodec<TResult>.IsSupported)
            {
                // [0, value] written straight into the frame: a map's results of a primitive type cost a few instructions each.
                var span = writer.GetSpan(ReturnedHead.Length + PrimitiveCodec<TResult>.MaxBytes);
                ReturnedHead.CopyTo(span);
                writer.Advance(ReturnedHead.Length + PrimitiveCodec<TResult>.Write(span[ReturnedHead.Length..], values[i]));
            }
            else
            {
                writer.WriteArrayHeader(2);
                writer.Write((int)OutcomeKind.Returned);
                formatter.Serialize(ref writer, values[i], DistributedSerializer.Options);
            }
        }
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a frame's head from the reply stream: untrusted bytes, already checked against the size limit.</summary>
    /// <exception cref="WireFormatException">The bytes do not begin as a result frame.</exception>
    public static ResultFrame Decode(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            var reader = new MessagePackReader(bytes);
            if (reader.ReadArrayHeader() != 4 || reader.ReadInt32() != Format) throw new WireFormatException("result frame: not of format 1");
            var taskId = reader.ReadString() ?? throw new WireFormatException("result frame: task id is nil");
            var node = reader.ReadString() ?? "";
            var count = reader.ReadArrayHeader();
            if (count > bytes.Length - reader.Consumed) throw new WireFormatException($"result frame: {count} outcomes announced, fewer bytes left");
            return new ResultFrame(taskId, node, bytes[(int)reader.Consumed..], count);
        }
        catch (Exception e) when (e is MessagePackSerializationException or EndOfStreamException or OverflowException)
        {
            throw new WireFormatException($"result frame: {e.Message}", e);
        }
    }
}
