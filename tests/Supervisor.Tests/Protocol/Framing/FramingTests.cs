using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipes;
using MessagePack;
using Supervisor.Protocol;
using Supervisor.Protocol.Framing;
using Supervisor.Protocol.Messages;

namespace Supervisor.Tests.Protocol.Framing;

public sealed class FramingTests
{
    private sealed class Collect : IFrameHandler
    {
        public List<byte[]> Frames { get; } = [];

        /// <summary>The reader's buffer as each frame was handed over, once <see cref="Reader"/> is set.</summary>
        public List<int> BufferBytes { get; } = [];

        public FrameReader? Reader { get; set; }

        public void OnFrame(ReadOnlySequence<byte> payload)
        {
            Frames.Add(payload.ToArray());
            if (Reader is { } reader) BufferBytes.Add(reader.BufferBytes);
        }
    }

    [Fact]
    public async Task Frames_written_together_are_read_back_one_by_one()
    {
        using var writer = new FrameWriter();
        for (var i = 0; i < 3; i++)
        {
            var start = writer.BeginFrame();
            var w = new MessagePackWriter(writer);
            new HelloMessage(1, i, 100 + i).Write(ref w);
            w.Flush();
            writer.EndFrame(start);
        }
        using var stream = new MemoryStream();
        await writer.FlushToAsync(stream);
        stream.Position = 0;
        await using var reader = new FrameReader(stream);
        var collect = new Collect();
        while (await reader.ReadAsync(collect)) { }
        Assert.Equal(3, collect.Frames.Count);
        var r = new MessagePackReader(collect.Frames[2]);
        Assert.Equal(MessageKind.Hello, Envelope.ReadHeader(ref r));
        Assert.Equal(new HelloMessage(1, 2, 102), HelloMessage.Read(ref r));
    }

    [Fact]
    public async Task A_length_past_the_maximum_is_refused_before_any_payload_is_read()
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, uint.MaxValue);
        await using var reader = new FrameReader(new MemoryStream(bytes), maxFrameBytes: 1024);
        var error = await Assert.ThrowsAsync<ProtocolException>(() => reader.ReadAsync(new Collect()).AsTask());
        Assert.Contains("more than the maximum frame size of 1024 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stream_that_ends_inside_a_frame_is_a_truncated_frame()
    {
        var bytes = new byte[10];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, 100);
        await using var reader = new FrameReader(new MemoryStream(bytes));
        var collect = new Collect();
        var error = await Assert.ThrowsAsync<ProtocolException>(async () => { while (await reader.ReadAsync(collect)) { } });
        Assert.Contains("ended inside a frame", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_kind_and_a_wrong_field_count_are_protocol_errors()
    {
        var unknown = Pack(static (ref MessagePackWriter w) => { w.WriteArrayHeader(1); w.Write((byte)99); });
        var error = Assert.Throws<ProtocolException>(() => { var r = new MessagePackReader(unknown); Envelope.ReadHeader(ref r); });
        Assert.Equal("Unknown message kind 99.", error.Message);
        var shortHello = Pack(static (ref MessagePackWriter w) => { w.WriteArrayHeader(2); w.Write((byte)MessageKind.Hello); w.Write(1); });
        error = Assert.Throws<ProtocolException>(() => { var r = new MessagePackReader(shortHello); Envelope.ReadHeader(ref r); });
        Assert.Equal("A Hello message had 1 fields; 3 were expected.", error.Message);
    }

    [Fact]
    public void A_probe_and_its_running_report_are_read_back_as_written()
    {
        var probe = Pack(static (ref MessagePackWriter w) => new ProbeMessage().Write(ref w));
        var r = new MessagePackReader(probe);
        Assert.Equal(MessageKind.Probe, Envelope.ReadHeader(ref r));
        Assert.True(r.End);
        var running = Pack(static (ref MessagePackWriter w) => new RunningMessage(long.MaxValue, 49).Write(ref w));
        r = new MessagePackReader(running);
        Assert.Equal(MessageKind.Running, Envelope.ReadHeader(ref r));
        Assert.Equal(new RunningMessage(long.MaxValue, 49), RunningMessage.Read(ref r));
        Assert.True(r.End);
    }

    [Fact]
    public void A_frame_larger_than_the_maximum_is_not_written_and_earlier_frames_survive()
    {
        using var writer = new FrameWriter(maxFrameBytes: 1024);
        var first = writer.BeginFrame();
        writer.Write([1, 2, 3]);
        writer.EndFrame(first);
        var kept = writer.Length;
        var second = writer.BeginFrame();
        writer.Write(new byte[2000]);
        Assert.Throws<ProtocolException>(() => writer.EndFrame(second));
        Assert.Equal(kept, writer.Length);
    }

    [Fact]
    public async Task Attached_bytes_cross_a_real_pipe_in_place_between_copied_frames()
    {
        var large = new byte[3 * 1024 * 1024];
        new Random(7).NextBytes(large);
        using var writer = new FrameWriter();
        var first = writer.BeginFrame();
        writer.Write([1]);
        writer.EndFrame(first);
        var second = writer.BeginFrame();
        writer.Write([2]);
        writer.Attach(large);
        writer.Write([3]);
        writer.EndFrame(second);
        var third = writer.BeginFrame();
        writer.Attach(new byte[] { 4, 5 });
        writer.EndFrame(third);
        Assert.Equal((3 * 4) + 1 + 1 + large.Length + 1 + 2, writer.Length);

        var collect = new Collect();
        await SendThroughPipeAsync(writer, collect);

        Assert.Equal(3, collect.Frames.Count);
        Assert.Equal([1], collect.Frames[0]);
        Assert.Equal([2, .. large, 3], collect.Frames[1]);
        Assert.Equal([4, 5], collect.Frames[2]);
    }

    [Fact]
    public void A_placeholder_written_after_attached_bytes_is_filled_in_where_it_was_written()
    {
        using var writer = new FrameWriter();
        var frame = writer.BeginFrame();
        writer.Attach(new byte[FrameWriter.AttachFromBytes]);
        var placeholder = writer.Length;
        writer.Write([0, 0]);
        writer.Written(placeholder, 2).Fill(9);
        writer.EndFrame(frame);

        using var stream = new MemoryStream();
        writer.FlushTo(stream);

        var sent = stream.ToArray();
        Assert.Equal(WireProtocol.FrameHeaderBytes + FrameWriter.AttachFromBytes + 2, sent.Length);
        Assert.Equal([0, 9, 9], sent[^3..]);
    }

    [Fact]
    public void A_frame_of_attached_bytes_at_exactly_the_maximum_is_written_and_one_byte_more_is_not()
    {
        const int max = 128 * 1024;
        using var writer = new FrameWriter(maxFrameBytes: max);
        var exact = writer.BeginFrame();
        writer.Write([9]);
        writer.Attach(new byte[max - 1]);
        writer.EndFrame(exact);
        var kept = writer.Length;
        Assert.Equal(4 + max, kept);
        var over = writer.BeginFrame();
        writer.Attach(new byte[max]);
        writer.Write([9]);
        Assert.Throws<ProtocolException>(() => writer.EndFrame(over));
        Assert.Equal(kept, writer.Length);

        using var stream = new MemoryStream();
        writer.FlushTo(stream);
        stream.Position = 0;
        using var reader = new FrameReader(stream, maxFrameBytes: max);
        var collect = new Collect();
        while (reader.Read(collect)) { }
        Assert.Equal(max, Assert.Single(collect.Frames).Length);
    }

    [Fact]
    public async Task A_frame_larger_than_the_retained_buffer_gets_one_of_its_own_that_is_let_go_once_it_is_read()
    {
        var large = new byte[FrameReader.RetainedBufferBytes + 1];
        new Random(11).NextBytes(large);
        byte[][] frames = [large, [1], large, [2]];
        using var writer = new FrameWriter();
        foreach (var frame in frames)
        {
            var start = writer.BeginFrame();
            writer.Write(frame);
            writer.EndFrame(start);
        }

        var collect = new Collect();
        var bufferAtEnd = await SendThroughPipeAsync(writer, collect);

        Assert.Equal(frames.Length, collect.Frames.Count);
        // xunit's element-by-element comparison of megabytes takes seconds.
        Assert.All(frames.Zip(collect.Frames), pair => Assert.True(pair.First.AsSpan().SequenceEqual(pair.Second)));
        // Each large frame was held whole, and after the last one the reader is back to a buffer it may keep.
        Assert.InRange(collect.BufferBytes[0], large.Length, int.MaxValue);
        Assert.InRange(collect.BufferBytes[2], large.Length, int.MaxValue);
        Assert.InRange(bufferAtEnd, 1, FrameReader.RetainedBufferBytes);
    }

    /// <summary>
    /// Sends what <paramref name="writer"/> holds through a real pipe to a reader on a thread of its own, and
    /// returns the reader's buffer size once the stream has ended. Larger than the pipe's buffer, the reader must
    /// drain while the writer writes.
    /// </summary>
    private static async Task<int> SendThroughPipeAsync(FrameWriter writer, Collect collect)
    {
        using var server = new AnonymousPipeServerStream(PipeDirection.Out);
        using var client = new AnonymousPipeClientStream(PipeDirection.In, server.ClientSafePipeHandle);
        var reading = Task.Run(() =>
        {
            using var reader = new FrameReader(client);
            collect.Reader = reader;
            while (reader.Read(collect)) { }
            return reader.BufferBytes;
        });
        await writer.FlushToAsync(server);
        Assert.Equal(0, writer.Length);
        server.Dispose();
        return await reading;
    }

    private delegate void Write(ref MessagePackWriter writer);

    private static byte[] Pack(Write write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        write(ref writer);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}
