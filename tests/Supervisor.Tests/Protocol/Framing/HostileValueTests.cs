using System.Buffers;
using MessagePack;
using Supervisor.Protocol.Framing;
using Supervisor.Protocol.Messages;
using Supervisor.Protocol.Serialization;
using Supervisor.SharedMemory;
using Supervisor.Sharing;

namespace Supervisor.Tests.Protocol.Framing;

/// <summary>
/// What FuzzTests does for the frames, for the rest of what is read from a peer: the Cancel and Inherit readers, deep
/// nesting, and values read by a parameter's declared type, the shared-object formatters among them. Each may only
/// fail as a protocol error (or, for a shared object, as the file or manager it names being out of reach), and no
/// hostile length drives an allocation.
/// </summary>
public sealed class HostileValueTests
{
    private const int Cases = 5_000;

    [Fact]
    public void Random_and_mutated_cancel_and_inherit_payloads_only_ever_fail_as_protocol_errors()
    {
        var random = new Random(11);
        var valid = new[]
        {
            Payload(static (ref MessagePackWriter w) => new CancelMessage(9).Write(ref w)),
            Payload(static (ref MessagePackWriter w) => new InheritMessage(3, [new InheritedValue("/a.dll", "Ns.T", "M", new byte[] { 0x05 })]).Write(ref w)),
            Payload(static (ref MessagePackWriter w) => default(ProbeMessage).Write(ref w)),
        };
        var decoded = 0;
        for (var i = 0; i < Cases; i++)
        {
            var payload = FuzzTests.Mutate(random, valid[random.Next(valid.Length)]);
            try
            {
                var reader = new MessagePackReader(payload);
                switch (Envelope.ReadHeader(ref reader))
                {
                    case MessageKind.Cancel:
                        CancelMessage.Read(ref reader);
                        break;
                    case MessageKind.Inherit:
                        InheritMessage.Read(ref reader);
                        break;
                }
                decoded++;
            }
            catch (Exception e) when (ProtocolErrors.IsProtocolError(e))
            {
            }
        }
        Assert.InRange(decoded, 1, Cases - 1);
    }

    [Fact]
    public void A_hostile_count_in_an_inherit_message_allocates_nothing_for_it()
    {
        // Inherit with an array header that claims 2^31 - 1 values and holds none.
        var payload = Payload(static (ref MessagePackWriter w) =>
        {
            Envelope.WriteHeader(ref w, MessageKind.Inherit, 2);
            w.Write(3L);
            w.WriteArrayHeader(int.MaxValue);
        });
        AssertAllocatesLittle(() =>
        {
            var reader = new MessagePackReader(payload);
            Envelope.ReadHeader(ref reader);
            InheritMessage.Read(ref reader);
        });
    }

    [Fact]
    public void Deep_nesting_is_skipped_or_refused_without_exhausting_the_stack()
    {
        // A megabyte of one-element arrays, each inside the last: skipping or reading it must not recurse a million times.
        var nested = Enumerable.Repeat((byte)0x91, 1 << 20).Append((byte)0x01).ToArray();
        // Skipping (how each side steps over a value it does not read yet) walks it without recursing.
        var skipper = new MessagePackReader(nested);
        skipper.Skip();
        Assert.True(skipper.End);
        // Reading it by a declared type stops at the untrusted-data depth limit.
        AssertFailsAsProtocolError(() => MessagePackSerializer.Deserialize<object>(nested, WireSerializer.Options));
        AssertFailsAsProtocolError(() => MessagePackSerializer.Deserialize<int[][]>(nested, WireSerializer.Options));
    }

    [Fact]
    public void Random_and_mutated_values_read_by_declared_type_fail_only_as_protocol_errors()
    {
        var random = new Random(7);
        var valid = new byte[][]
        {
            MessagePackSerializer.Serialize(42, WireSerializer.Options),
            MessagePackSerializer.Serialize("forty-two", WireSerializer.Options),
            MessagePackSerializer.Serialize(new[] { 1.5, 2.5 }, WireSerializer.Options),
            MessagePackSerializer.Serialize(new Dictionary<string, int> { ["a"] = 1 }, WireSerializer.Options),
            MessagePackSerializer.Serialize(new Point(3, "p", [1, 2]), WireSerializer.Options),
            // A shared reference's shape: [kind, socket path, key, object id], and a shared block's: [path, length, element size].
            MessagePackSerializer.Serialize(new object[] { (byte)1, "/tmp/none/manager.sock", new byte[32], 5L }, WireSerializer.Options),
            MessagePackSerializer.Serialize(new object[] { "/dev/shm/none", 4, 4 }, WireSerializer.Options),
        };
        for (var i = 0; i < Cases; i++)
        {
            var bytes = i % 2 == 0 ? FuzzTests.RandomBytes(random) : FuzzTests.Mutate(random, valid[random.Next(valid.Length)]);
            AssertFailsCleanlyIfAtAll(() => MessagePackSerializer.Deserialize<int>(bytes, WireSerializer.Options));
            AssertFailsCleanlyIfAtAll(() => MessagePackSerializer.Deserialize<string>(bytes, WireSerializer.Options));
            AssertFailsCleanlyIfAtAll(() => MessagePackSerializer.Deserialize<double[]>(bytes, WireSerializer.Options));
            AssertFailsCleanlyIfAtAll(() => MessagePackSerializer.Deserialize<Dictionary<string, int>>(bytes, WireSerializer.Options));
            AssertFailsCleanlyIfAtAll(() => MessagePackSerializer.Deserialize<Point>(bytes, WireSerializer.Options));
            AssertFailsCleanlyIfAtAll(() => MessagePackSerializer.Deserialize<object>(bytes, WireSerializer.Options));
            AssertFailsCleanlyIfAtAll(() => MessagePackSerializer.Deserialize<SharedQueue<int>>(bytes, WireSerializer.Options));
            AssertFailsCleanlyIfAtAll(() => MessagePackSerializer.Deserialize<SharedJoinableQueue<int>>(bytes, WireSerializer.Options));
            AssertFailsCleanlyIfAtAll(() => MessagePackSerializer.Deserialize<SharedSimpleQueue<int>>(bytes, WireSerializer.Options));
            AssertFailsCleanlyIfAtAll(() => MessagePackSerializer.Deserialize<SharedValue<int>>(bytes, WireSerializer.Options)?.Dispose());
            AssertFailsCleanlyIfAtAll(() => MessagePackSerializer.Deserialize<SharedArray<double>>(bytes, WireSerializer.Options)?.Dispose());
        }
    }

    [Fact]
    public void Hostile_lengths_in_values_allocate_nothing_for_them()
    {
        byte[][] hostile =
        [
            [0xDD, 0x7F, 0xFF, 0xFF, 0xFF], // array32 of 2^31 - 1 elements, none present
            [0xDF, 0x7F, 0xFF, 0xFF, 0xFF], // map32
            [0xDB, 0x7F, 0xFF, 0xFF, 0xFF], // str32
            [0xC6, 0x7F, 0xFF, 0xFF, 0xFF], // bin32
        ];
        foreach (var bytes in hostile)
        {
            AssertAllocatesLittle(() => MessagePackSerializer.Deserialize<double[]>(bytes, WireSerializer.Options));
            AssertAllocatesLittle(() => MessagePackSerializer.Deserialize<Dictionary<string, int>>(bytes, WireSerializer.Options));
            AssertAllocatesLittle(() => MessagePackSerializer.Deserialize<string>(bytes, WireSerializer.Options));
            AssertAllocatesLittle(() => MessagePackSerializer.Deserialize<byte[]>(bytes, WireSerializer.Options));
            AssertAllocatesLittle(() => MessagePackSerializer.Deserialize<object>(bytes, WireSerializer.Options));
            AssertAllocatesLittle(() => MessagePackSerializer.Deserialize<SharedArray<double>>(bytes, WireSerializer.Options));
            AssertAllocatesLittle(() => MessagePackSerializer.Deserialize<SharedValue<long>>(bytes, WireSerializer.Options));
            AssertAllocatesLittle(() => MessagePackSerializer.Deserialize<SharedQueue<int>>(bytes, WireSerializer.Options));
        }
    }

    /// <summary>A user's record, read as contractless types are.</summary>
    public sealed record Point(int X, string Name, int[] Tags);

    private delegate void WriteMessage(ref MessagePackWriter writer);

    private static byte[] Payload(WriteMessage write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        write(ref writer);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static void AssertFailsAsProtocolError(Action read)
    {
        var error = Record.Exception(read);
        Assert.NotNull(error);
        Assert.True(ProtocolErrors.IsProtocolError(error), $"{error.GetType()}: {error.Message}");
    }

    // A shared object names a file or a manager's socket: one that cannot be reached is refused as such.
    private static void AssertFailsCleanlyIfAtAll(Action read)
    {
        var error = Record.Exception(read);
        if (error is null || ProtocolErrors.IsProtocolError(error) || error is IOException or InvalidDataException or UnauthorizedAccessException) return;
        Assert.Fail($"{error.GetType()}: {error.Message}");
    }

    private static void AssertAllocatesLittle(Action read)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        _ = Record.Exception(read);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "no buffer sized by the hostile length");
    }
}
