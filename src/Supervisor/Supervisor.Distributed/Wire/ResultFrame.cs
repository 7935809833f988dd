using System.Buffers;
using MessagePack;

namespace Supervisor.Distributed.Wire;

/// <summary>
/// A task's results as a node stores them in its caller's reply stream: <c>[format, task id, node, [outcomes]]</c>,
/// each outcome <c>[kind, value]</c> or <c>[kind, error type, message, stack trace, worker, process id]</c>, one per
/// call, in call order.
/// </summary>
internal sealed record ResultFrame(string TaskId, IReadOnlyList<CallOutcome> Outcomes)
{
    private const int Format = 1;

    /// <summary>Serializes the outcomes of one task.</summary>
    public static byte[] Encode(string taskId, string nodeName, IReadOnlyList<CallOutcome> outcomes)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(4);
        writer.Write(Format);
        writer.Write(taskId);
        writer.Write(nodeName);
        writer.WriteArrayHeader(outcomes.Count);
        foreach (var outcome in outcomes)
        {
            if (outcome.Kind == OutcomeKind.Returned)
            {
                writer.WriteArrayHeader(2);
                writer.Write((int)outcome.Kind);
                writer.WriteRaw(outcome.Value.Span);
            }
            else
            {
                writer.WriteArrayHeader(6);
                writer.Write((int)outcome.Kind);
                writer.Write(outcome.ErrorType);
                writer.Write(outcome.Message);
                writer.Write(outcome.StackTrace);
                writer.Write(outcome.WorkerName);
                writer.Write(outcome.ProcessId);
            }
        }
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a frame from the reply stream: untrusted bytes, already checked against the size limit.</summary>
    /// <exception cref="WireFormatException">The bytes are not a result frame.</exception>
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
            var outcomes = new CallOutcome[count];
            for (var i = 0; i < count; i++)
            {
                var fields = reader.ReadArrayHeader();
                var kind = (OutcomeKind)reader.ReadInt32();
                if (kind == OutcomeKind.Returned && fields == 2)
                {
                    var start = (int)reader.Consumed;
                    reader.Skip();
                    outcomes[i] = CallOutcome.Returned(bytes[start..(int)reader.Consumed], node);
                }
                else if (kind is OutcomeKind.Failed or OutcomeKind.FunctionUnavailable or OutcomeKind.DeadLettered && fields == 6)
                {
                    outcomes[i] = CallOutcome.Error(kind, reader.ReadString() ?? "", reader.ReadString() ?? "", reader.ReadString() ?? "", node,
                        reader.ReadString() ?? "", reader.ReadInt32());
                }
                else
                {
                    throw new WireFormatException($"result frame: outcome {i} of kind {(int)kind} with {fields} fields");
                }
            }
            if (!reader.End) throw new WireFormatException("result frame: bytes after its end");
            return new ResultFrame(taskId, outcomes);
        }
        catch (Exception e) when (e is MessagePackSerializationException or EndOfStreamException or OverflowException)
        {
            throw new WireFormatException($"result frame: {e.Message}", e);
        }
    }
}
