using System.Buffers;
using System.Diagnostics;
using MessagePack;
using Supervisor.Protocol.Framing;
using Supervisor.Protocol.Messages;

namespace Supervisor.Tests.Protocol.Messages;

/// <summary>The trace context a task frame may carry: read back as written, absent costs nothing, bounded as untrusted input.</summary>
public sealed class TaskTraceTests
{
    private static readonly ActivityContext Trace = new(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, "vendor=abc");

    [Fact]
    public void A_trace_context_is_read_back_as_written()
    {
        var read = ReadHead(Write(new TaskMessage(1, 2, ArgumentMode.Positional, 1, Trace: Trace)));

        Assert.Equal(Trace.TraceId, read.Trace.TraceId);
        Assert.Equal(Trace.SpanId, read.Trace.SpanId);
        Assert.Equal(ActivityTraceFlags.Recorded, read.Trace.TraceFlags);
        Assert.Equal("vendor=abc", read.Trace.TraceState);
        Assert.True(read.Trace.IsRemote);
    }

    [Fact]
    public void A_task_without_a_trace_keeps_the_five_fields_of_before()
    {
        var frame = Write(new TaskMessage(1, 2, ArgumentMode.Positional, 1));
        var reader = new MessagePackReader(frame);

        Assert.Equal(1 + 5, reader.ReadArrayHeader());
        Assert.Equal(default, ReadHead(frame).Trace);
    }

    [Theory]
    [InlineData("traceparent", "not-a-trace-context", "is not a W3C trace context")]
    [InlineData("tracestate", null, "at most 512 are allowed")]
    [InlineData("baggage", "x", "unknown entry 'baggage'")]
    public void A_bad_trace_context_is_a_protocol_error(string key, string? value, string expected)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        Envelope.WriteHeader(ref writer, MessageKind.Task, 6);
        writer.Write(1L);
        writer.Write(2);
        writer.Write((byte)ArgumentMode.Positional);
        writer.Write(false);
        writer.WriteMapHeader(1);
        writer.Write(key);
        writer.Write(value ?? new string('x', 513));
        writer.WriteArrayHeader(1);
        writer.Write(3);
        writer.Flush();

        var error = Assert.Throws<ProtocolException>(() => ReadHead(buffer.WrittenMemory));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static ReadOnlyMemory<byte> Write(TaskMessage task)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        task.WriteHead(ref writer);
        writer.Write(3);
        writer.Flush();
        return buffer.WrittenMemory;
    }

    private static TaskMessage ReadHead(ReadOnlyMemory<byte> frame)
    {
        var reader = new MessagePackReader(frame);
        Assert.Equal(MessageKind.Task, Envelope.ReadHeader(ref reader));
        return TaskMessage.ReadHead(ref reader);
    }
}
