using System.Buffers;
using System.Buffers.Binary;
using MessagePack;
using Supervisor.Protocol.Framing;
using Supervisor.Protocol.Functions;
using Supervisor.Protocol.Messages;

namespace Supervisor.Tests.Protocol.Framing;

/// <summary>
/// Frames from a pipe are untrusted. Random bytes and mutations of valid frames, thrown at the frame reader and at
/// every message reader, may only ever be refused as protocol errors: anything else would take down the side
/// that reads them.
/// </summary>
public sealed class FuzzTests
{
    private const int Cases = 10_000;

    [Fact]
    public async Task Random_and_mutated_streams_only_ever_fail_as_protocol_errors_in_the_frame_reader()
    {
        var random = new Random(20261123);
        var valid = ValidFrames();
        for (var i = 0; i < Cases; i++)
        {
            var bytes = i % 2 == 0 ? RandomBytes(random) : Mutate(random, Concatenate(valid, random));
            await using var reader = new FrameReader(new MemoryStream(bytes), maxFrameBytes: 4096);
            var handler = new DecodeEverything();
            try
            {
                while (await reader.ReadAsync(handler)) { }
            }
            catch (ProtocolException)
            {
            }
        }
    }

    [Fact]
    public void Random_and_mutated_payloads_only_ever_fail_as_protocol_errors_in_the_message_readers()
    {
        var random = new Random(42);
        var valid = ValidFrames().Select(f => f[WireProtocolHeader..]).ToArray();
        var decoded = 0;
        for (var i = 0; i < Cases; i++)
        {
            var payload = i % 2 == 0 ? RandomBytes(random) : Mutate(random, valid[random.Next(valid.Length)]);
            try
            {
                Decode(new ReadOnlySequence<byte>(payload));
                decoded++;
            }
            catch (Exception e) when (IsProtocolError(e))
            {
            }
        }
        // Mutations leave some frames valid: the readers accept what they should.
        Assert.InRange(decoded, 1, Cases - 1);
    }

    [Fact]
    public async Task A_hostile_length_allocates_nothing_for_its_payload()
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, 1u << 30);
        var before = GC.GetAllocatedBytesForCurrentThread();
        await using var reader = new FrameReader(new MemoryStream(bytes), maxFrameBytes: 64 * 1024 * 1024);
        await Assert.ThrowsAsync<ProtocolException>(() => reader.ReadAsync(new DecodeEverything()).AsTask());
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "no buffer sized by the hostile length");
    }

    private const int WireProtocolHeader = 4;

    private sealed class DecodeEverything : IFrameHandler
    {
        public void OnFrame(ReadOnlySequence<byte> payload)
        {
            try
            {
                Decode(payload);
            }
            catch (Exception e) when (IsProtocolError(e))
            {
                throw new ProtocolException(e.Message, e);
            }
        }
    }

    private static bool IsProtocolError(Exception e) => ProtocolErrors.IsProtocolError(e);

    /// <summary>Reads a payload the way the two sides do: the envelope, then the message of that kind, values skipped.</summary>
    private static void Decode(ReadOnlySequence<byte> payload)
    {
        var reader = new MessagePackReader(payload);
        switch (Envelope.ReadHeader(ref reader))
        {
            case MessageKind.Hello:
                HelloMessage.Read(ref reader);
                break;
            case MessageKind.Define:
                DefineMessage.Read(ref reader);
                break;
            case MessageKind.Task:
                var task = TaskMessage.ReadHead(ref reader);
                for (var i = 0; i < task.Count; i++) reader.Skip();
                break;
            case MessageKind.Result:
                var result = ResultMessage.ReadHead(ref reader);
                for (var i = 0; i < result.Count; i++) reader.Skip();
                break;
            case MessageKind.Error:
                ErrorMessage.Read(ref reader);
                break;
            case MessageKind.Running:
                RunningMessage.Read(ref reader);
                break;
        }
    }

    private static byte[][] ValidFrames()
    {
        var frames = new List<byte[]>();
        void Add(WriteMessage write)
        {
            using var writer = new FrameWriter();
            var start = writer.BeginFrame();
            var w = new MessagePackWriter(writer);
            write(ref w);
            w.Flush();
            writer.EndFrame(start);
            using var stream = new MemoryStream();
            writer.FlushTo(stream);
            frames.Add(stream.ToArray());
        }
        Add(static (ref MessagePackWriter w) => new HelloMessage(1, 3, 1234).Write(ref w));
        Add(static (ref MessagePackWriter w) => new DefineMessage(7, new FunctionReference("/a/b.dll", "Ns.T", "M", 0x06000001), new byte[] { 0x81, 0xA1, 0x78, 0x02 }).Write(ref w));
        Add(static (ref MessagePackWriter w) =>
        {
            new TaskMessage(9, 7, ArgumentMode.Positional, 2).WriteHead(ref w);
            w.WriteArrayHeader(1);
            w.Write(5);
            w.WriteArrayHeader(1);
            w.Write("five");
        });
        Add(static (ref MessagePackWriter w) =>
        {
            var trace = new System.Diagnostics.ActivityContext(System.Diagnostics.ActivityTraceId.CreateRandom(),
                System.Diagnostics.ActivitySpanId.CreateRandom(), System.Diagnostics.ActivityTraceFlags.Recorded, "k=v");
            new TaskMessage(10, 7, ArgumentMode.Positional, 1, Trace: trace).WriteHead(ref w);
            w.WriteArrayHeader(1);
            w.Write(6);
        });
        Add(static (ref MessagePackWriter w) =>
        {
            new ResultMessage(9, 0, 12, 2).WriteHead(ref w);
            w.Write(25);
            w.Write(36);
        });
        Add(static (ref MessagePackWriter w) => new ErrorMessage(9, 1, new RemoteError("System.Exception", "boom", "at X")).Write(ref w));
        Add(static (ref MessagePackWriter w) => new EndOfQueueMessage().Write(ref w));
        Add(static (ref MessagePackWriter w) => new ProbeMessage().Write(ref w));
        Add(static (ref MessagePackWriter w) => new RunningMessage(9, 1).Write(ref w));
        return [.. frames];
    }

    private delegate void WriteMessage(ref MessagePackWriter writer);

    internal static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(1, 64)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Concatenate(byte[][] frames, Random random) =>
        [.. Enumerable.Range(0, random.Next(1, 4)).SelectMany(_ => frames[random.Next(frames.Length)])];

    internal static byte[] Mutate(Random random, byte[] original)
    {
        var bytes = (byte[])original.Clone();
        switch (random.Next(4))
        {
            case 0: // flip bytes
                for (var n = random.Next(1, 4); n > 0; n--) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                return bytes;
            case 1: // truncate
                return bytes[..random.Next(bytes.Length)];
            case 2: // insert garbage
                var at = random.Next(bytes.Length);
                return [.. bytes[..at], .. RandomBytes(random), .. bytes[at..]];
            default: // extreme integers where fields are
                var index = random.Next(bytes.Length);
                bytes[index] = random.Next(3) switch { 0 => 0xCF, 1 => 0xD3, _ => 0xDD };
                return bytes;
        }
    }
}
