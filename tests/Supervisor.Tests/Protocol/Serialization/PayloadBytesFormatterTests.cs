using MessagePack;
using Supervisor.Protocol.Serialization;

namespace Supervisor.Tests.Protocol.Serialization;

public sealed class PayloadBytesFormatterTests
{
    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(1 << 20)]
    public void Byte_arrays_round_trip_as_bin_whole_and_unchanged(int length)
    {
        var sent = length < 0 ? null : Enumerable.Range(0, length).Select(i => (byte)(i * 7)).ToArray();

        var bytes = MessagePackSerializer.Serialize(sent, WireSerializer.Options);
        var received = MessagePackSerializer.Deserialize<byte[]?>(bytes, WireSerializer.Options);

        // The wire form is the built-in one: a peer with stock MessagePack reads it.
        Assert.Equal(MessagePackSerializer.Serialize(sent, MessagePackSerializerOptions.Standard), bytes);
        Assert.Equal(sent, received);
    }
}
