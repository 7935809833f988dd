using MessagePack;
using Supervisor.Protocol.Serialization;

namespace Supervisor.Tests.Protocol.Serialization;

public sealed class PrimitiveCodecTests
{
    // Every boundary between MessagePack's integer forms, both sides of it, and the extremes of each type.
    private static readonly long[] SignedValues =
    [
        0, 1, 31, 32, 127, 128, 255, 256, 32767, 32768, 65535, 65536, int.MaxValue, (long)int.MaxValue + 1, uint.MaxValue,
        (long)uint.MaxValue + 1, long.MaxValue, -1, -31, -32, -33, -127, -128, -129, -32768, -32769, int.MinValue,
        (long)int.MinValue - 1, long.MinValue,
    ];

    private static readonly ulong[] UnsignedValues = [.. SignedValues.Where(v => v >= 0).Select(v => (ulong)v), (ulong)long.MaxValue + 1, ulong.MaxValue];

    [Fact]
    public void Integers_are_written_as_the_bytes_MessagePack_writes()
    {
        foreach (var v in SignedValues)
        {
            AssertWrittenAsMessagePack(v);
            if (v is >= int.MinValue and <= int.MaxValue) AssertWrittenAsMessagePack((int)v);
            if (v is >= short.MinValue and <= short.MaxValue) AssertWrittenAsMessagePack((short)v);
            if (v is >= sbyte.MinValue and <= sbyte.MaxValue) AssertWrittenAsMessagePack((sbyte)v);
        }
        foreach (var v in UnsignedValues)
        {
            AssertWrittenAsMessagePack(v);
            if (v <= uint.MaxValue) AssertWrittenAsMessagePack((uint)v);
            if (v <= ushort.MaxValue) AssertWrittenAsMessagePack((ushort)v);
            if (v <= byte.MaxValue) AssertWrittenAsMessagePack((byte)v);
        }
    }

    [Fact]
    public void Floating_point_values_and_booleans_are_written_as_the_bytes_MessagePack_writes()
    {
        foreach (var d in new[] { 0.0, -0.0, 1.5, -2.25e300, double.Epsilon, double.NaN, double.PositiveInfinity, double.MaxValue })
        {
            AssertWrittenAsMessagePack(d);
            AssertWrittenAsMessagePack((float)d);
        }
        AssertWrittenAsMessagePack(true);
        AssertWrittenAsMessagePack(false);
    }

    [Fact]
    public void Every_integer_form_reads_as_MessagePack_reads_it_and_a_value_out_of_range_is_left_to_MessagePack()
    {
        // Each value in the form MessagePack gives it as a long and as a ulong, read as every integer type: the codec
        // agrees with MessagePack where MessagePack reads it, and declines (position unchanged) where it refuses.
        var encodings = SignedValues.Select(v => MessagePackSerializer.Serialize(v, WireSerializer.Options))
            .Concat(UnsignedValues.Select(v => MessagePackSerializer.Serialize(v, WireSerializer.Options)))
            // Forms MessagePack reads but does not write for these values: a small number in a wide signed form.
            .Append([0xd3, 0, 0, 0, 0, 0, 0, 0, 5]).Append([0xd0, 0x05]).Append([0xd1, 0xff, 0xfe]);
        foreach (var bytes in encodings)
        {
            AssertReadsAsMessagePack<long>(bytes);
            AssertReadsAsMessagePack<int>(bytes);
            AssertReadsAsMessagePack<short>(bytes);
            AssertReadsAsMessagePack<sbyte>(bytes);
            AssertReadsAsMessagePack<ulong>(bytes);
            AssertReadsAsMessagePack<uint>(bytes);
            AssertReadsAsMessagePack<ushort>(bytes);
            AssertReadsAsMessagePack<byte>(bytes);
        }
    }

    [Fact]
    public void Bytes_of_another_form_or_cut_short_are_declined_with_the_position_unchanged()
    {
        byte[][] declined = [[0xc0], [0xa1, (byte)'x'], [0xcd, 0x01], [0xcb, 0, 0], [0x91, 0x01], []];
        foreach (var bytes in declined)
        {
            AssertDeclined<long>(bytes);
            AssertDeclined<double>(bytes);
            AssertDeclined<bool>(bytes);
        }
        // A double is not read as an integer, nor an integer as a float: MessagePack decides those.
        AssertDeclined<long>(MessagePackSerializer.Serialize(1.0, WireSerializer.Options));
        AssertDeclined<float>(MessagePackSerializer.Serialize(1L, WireSerializer.Options));
    }

    [Fact]
    public void Values_read_one_after_another_from_where_the_last_ended()
    {
        var bytes = MessagePackSerializer.Serialize(new long[] { 5, -40, 70000, long.MinValue }, WireSerializer.Options)[1..];
        var position = 0;
        var read = new List<long>();
        while (PrimitiveCodec<long>.TryRead(bytes, ref position, out var value)) read.Add(value);

        Assert.Equal([5, -40, 70000, long.MinValue], read);
        Assert.Equal(bytes.Length, position);
    }

    private static void AssertWrittenAsMessagePack<T>(T value)
    {
        var buffer = new byte[PrimitiveCodec<T>.MaxBytes];
        var length = PrimitiveCodec<T>.Write(buffer, value);
        var expected = MessagePackSerializer.Serialize(value, WireSerializer.Options);
        Assert.True(expected.AsSpan().SequenceEqual(buffer.AsSpan(0, length)), $"{typeof(T).Name} {value}: {Convert.ToHexString(buffer, 0, length)}, MessagePack {Convert.ToHexString(expected)}");
        var position = 0;
        Assert.True(PrimitiveCodec<T>.TryRead(expected, ref position, out var back));
        Assert.Equal(value, back);
        Assert.Equal(expected.Length, position);
    }

    private static void AssertReadsAsMessagePack<T>(byte[] bytes)
    {
        T? expected;
        try
        {
            expected = MessagePackSerializer.Deserialize<T>(bytes, WireSerializer.Options);
        }
        catch (MessagePackSerializationException)
        {
            AssertDeclined<T>(bytes);
            return;
        }
        var position = 0;
        Assert.True(PrimitiveCodec<T>.TryRead(bytes, ref position, out var value), $"{typeof(T).Name} from {Convert.ToHexString(bytes)}");
        Assert.Equal(expected, value);
        Assert.Equal(bytes.Length, position);
    }

    private static void AssertDeclined<T>(byte[] bytes)
    {
        var position = 0;
        Assert.False(PrimitiveCodec<T>.TryRead(bytes, ref position, out _), $"{typeof(T).Name} from {Convert.ToHexString(bytes)}");
        Assert.Equal(0, position);
    }
}
