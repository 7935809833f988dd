using MessagePack;
using MessagePack.Formatters;
using Supervisor.Distributed.Wire;
using Supervisor.Protocol.Serialization;
using System.Runtime.CompilerServices;

namespace Supervisor.Distributed.Client;

/// <summary>
/// Reads a task's outcomes from its result frame (untrusted bytes) as the caller's values, each by the caller's result
/// type with one formatter looked up once, or as the exceptions they stand for.
/// </summary>
internal static class OutcomeReader
{
    /// <summary>The outcomes of a task of <paramref name="firstIndex"/>.. as the pool's <see cref="TaskOutcome{T}"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static TaskOutcome<TResult>[] Read<TResult>(ResultFrame frame, int firstIndex, int callCount)
    {
        var outcomes = new TaskOutcome<TResult>[callCount];
        if (frame.Count != callCount)
        {
            FailAll(outcomes, 0, firstIndex, new RemoteTaskException($"A node answered a task of {callCount} calls with {frame.Count} outcomes."));
            return outcomes;
        }
        var formatter = DistributedSerializer.Options.Resolver.GetFormatterWithVerify<TResult>();
        var bytes = frame.Outcomes.Span;
        var position = 0;
        var i = 0;
        try
        {
            for (; i < callCount; i++)
            {
                // A returned primitive, [0, value], is read straight from the span; any other outcome by MessagePack's reader.
                var at = position + ResultFrame.ReturnedHead.Length;
                if (PrimitiveCodec<TResult>.IsSupported && bytes[position..].StartsWith(ResultFrame.ReturnedHead)
                    && PrimitiveCodec<TResult>.TryRead(bytes, ref at, out var primitive))
                {
                    outcomes[i] = new TaskOutcome<TResult>(firstIndex + i, primitive, null);
                    position = at;
                    continue;
                }
                var reader = new MessagePackReader(frame.Outcomes[position..]);
                outcomes[i] = ReadOne(ref reader, frame, formatter, firstIndex + i);
                position += (int)reader.Consumed;
            }
            if (position != bytes.Length) throw new WireFormatException("bytes after its end");
        }
        catch (Exception e) when (e is WireFormatException or MessagePackSerializationException or EndOfStreamException or OverflowException)
        {
            // The frame breaks off here: this call and those after it cannot be answered from it.
            FailAll(outcomes, i, firstIndex, new RemoteTaskException($"The result frame from node {frame.NodeName} is malformed: {e.Message}", e));
        }
        return outcomes;
    }

    private static TaskOutcome<TResult> ReadOne<TResult>(ref MessagePackReader reader, ResultFrame frame, IMessagePackFormatter<TResult> formatter, int index)
    {
        var fields = reader.ReadArrayHeader();
        var kind = (OutcomeKind)reader.ReadInt32();
        if (kind == OutcomeKind.Returned && fields == 2)
        {
            // Skipped first (a well-formed value, its end known), then read alone: a value that is not a TResult fails
            // its call, not the frame.
            var start = reader.Position;
            reader.Skip();
            var value = new MessagePackReader(reader.Sequence.Slice(start, reader.Position));
            try
            {
                return new TaskOutcome<TResult>(index, formatter.Deserialize(ref value, DistributedSerializer.Options), null);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                var cause = e is MessagePackSerializationException { InnerException: { } inner } ? inner : e;
                return new TaskOutcome<TResult>(index, default, new RemoteTaskException(
                    $"The result of call {index} from node {frame.NodeName} cannot be read as {typeof(TResult)}: {cause.Message}", e));
            }
        }
        if (kind is OutcomeKind.Failed or OutcomeKind.FunctionUnavailable or OutcomeKind.DeadLettered && fields == 6)
        {
            var error = new CallError(kind, reader.ReadString() ?? "", reader.ReadString() ?? "", reader.ReadString() ?? "",
                reader.ReadString() ?? "", reader.ReadInt32());
            return new TaskOutcome<TResult>(index, default, ExceptionOf(error, frame.NodeName));
        }
        throw new WireFormatException($"outcome {index} of kind {(int)kind} with {fields} fields");
    }

    private static void FailAll<TResult>(TaskOutcome<TResult>[] outcomes, int from, int firstIndex, Exception error)
    {
        for (var i = from; i < outcomes.Length; i++) outcomes[i] = new TaskOutcome<TResult>(firstIndex + i, default, error);
    }

    private static Exception ExceptionOf(CallError error, string nodeName)
    {
        switch (error.Kind)
        {
            case OutcomeKind.FunctionUnavailable:
                return new FunctionUnavailableException(error.Message);
            case OutcomeKind.DeadLettered:
                return new CallDeadLetteredException(error.Message);
            default:
                // The local pool's exception: the worker named with its node, since its process id is the node's machine's.
                var worker = error.WorkerName.Length > 0 ? $"{error.WorkerName} on node {nodeName}" : $"node {nodeName}";
                return new RemoteTaskException(error.ErrorType, error.Message, error.StackTrace, worker, error.ProcessId);
        }
    }
}
