using System.Diagnostics;
using System.Text;
using MessagePack;
using Supervisor.Protocol.Framing;

namespace Supervisor.Protocol.Messages;

/// <summary>
/// The head of a task: <see cref="Count"/> calls of one function. The calls' arguments follow it in the
/// same array, each one a complete MessagePack value laid out per <see cref="Mode"/>.
/// </summary>
/// <param name="TaskId">Unique per supervisor connection; results name it.</param>
/// <param name="FunctionId">A function the worker was told of by a <see cref="DefineMessage"/>.</param>
/// <param name="Mode">Positional or named arguments.</param>
/// <param name="Count">How many calls (a chunk of a map is several).</param>
/// <param name="ReportEachCall">
/// The worker sends what it has before each call instead of gathering results: the supervisor sends such a task
/// alone, after a worker died holding it among others, so that a crash now names its call.
/// </param>
/// <param name="Trace">
/// The caller's W3C trace context, so that <c>Activity.Current</c> in the worker continues the caller's trace; default
/// for none. Optional on the wire: a sixth field, a map of <c>traceparent</c> and <c>tracestate</c> before the calls,
/// present only when there is a trace, so a task without one is the same bytes as before and needs no new version.
/// </param>
internal readonly record struct TaskMessage(long TaskId, int FunctionId, ArgumentMode Mode, int Count, bool ReportEachCall = false,
    ActivityContext Trace = default)
{
    internal const int FieldCount = 5;

    /// <summary>The fields of a task that carries a trace context.</summary>
    internal const int FieldCountWithTrace = FieldCount + 1;

    // W3C's bounds: a version-00 traceparent is 55 characters; tracestate is at most 512.
    private const int MaxTraceParentLength = 55;
    private const int MaxTraceStateLength = 512;

    /// <summary>Writes the head; the caller writes the calls' arguments right after, as one array of <see cref="Count"/>.</summary>
    public void WriteHead(ref MessagePackWriter writer)
    {
        var traced = Trace != default;
        Envelope.WriteHeader(ref writer, MessageKind.Task, traced ? FieldCountWithTrace : FieldCount);
        writer.Write(TaskId);
        writer.Write(FunctionId);
        writer.Write((byte)Mode);
        writer.Write(ReportEachCall);
        if (traced) WriteTrace(ref writer, Trace);
        writer.WriteArrayHeader(Count);
    }

    /// <summary>Reads the head; the reader is left at the first call's arguments.</summary>
    public static TaskMessage ReadHead(ref MessagePackReader reader)
    {
        var id = reader.ReadInt64();
        var function = reader.ReadInt32();
        var mode = reader.ReadByte();
        if (mode > (byte)ArgumentMode.Named) throw new ProtocolException($"Unknown argument mode {mode}.");
        var reportEachCall = reader.ReadBoolean();
        var trace = reader.NextMessagePackType == MessagePackType.Map ? ReadTrace(ref reader) : default;
        var count = reader.ReadArrayHeader();
        if (count < 1) throw new ProtocolException("A task held no calls.");
        return new TaskMessage(id, function, (ArgumentMode)mode, count, reportEachCall, trace);
    }

    private static void WriteTrace(ref MessagePackWriter writer, ActivityContext trace)
    {
        var hasState = !string.IsNullOrEmpty(trace.TraceState);
        writer.WriteMapHeader(hasState ? 2 : 1);
        writer.Write("traceparent");
        var flags = (trace.TraceFlags & ActivityTraceFlags.Recorded) != 0 ? "01" : "00";
        writer.Write($"00-{trace.TraceId.ToHexString()}-{trace.SpanId.ToHexString()}-{flags}");
        if (!hasState) return;
        writer.Write("tracestate");
        writer.Write(trace.TraceState);
    }

    private static ActivityContext ReadTrace(ref MessagePackReader reader)
    {
        var entries = reader.ReadMapHeader();
        if (entries is < 1 or > 2) throw new ProtocolException($"A task's trace context had {entries} entries; traceparent and maybe tracestate were expected.");
        string? parent = null;
        string? state = null;
        for (var i = 0; i < entries; i++)
        {
            var key = reader.ReadString();
            switch (key)
            {
                case "traceparent":
                    parent = ReadBounded(ref reader, key, MaxTraceParentLength);
                    break;
                case "tracestate":
                    state = ReadBounded(ref reader, key, MaxTraceStateLength);
                    break;
                default:
                    throw new ProtocolException($"A task's trace context had an unknown entry '{key}'.");
            }
        }
        if (parent is null || !ActivityContext.TryParse(parent, state, isRemote: true, out var context))
        {
            throw new ProtocolException($"A task's traceparent '{parent}' is not a W3C trace context.");
        }
        return context;
    }

    private static string ReadBounded(ref MessagePackReader reader, string key, int maxLength)
    {
        // The length is checked before a string is made of the bytes.
        if (reader.NextMessagePackType != MessagePackType.String) throw new ProtocolException($"A task's {key} was not a string.");
        var bytes = reader.ReadStringSequence()!.Value;
        if (bytes.Length > maxLength) throw new ProtocolException($"A task's {key} was {bytes.Length} bytes; at most {maxLength} are allowed.");
        return Encoding.UTF8.GetString(bytes);
    }
}
