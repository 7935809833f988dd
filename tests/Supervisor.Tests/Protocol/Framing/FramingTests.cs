using System.Buffers;
using System.Buffers.Binary;
using MessagePack;
using Supervisor.Protocol.Framing;
using Supervisor.Protocol.Messages;

namespace Supervisor.Tests.Protocol.Framing;

public sealed class FramingTests
{
    private sealed class Collect : IFrameHandler
    {
        public List<byte[]> Frames { get; } = [];

        public void OnFrame(ReadOnlySequence<byte> payload) => Frames.Add(payload.ToArray());
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
