using System.Buffers;
using MessagePack;
using MessagePack.Formatters;

namespace Supervisor.Protocol.Serialization;

/// <summary>
/// <c>byte[]</c> as MessagePack bin, as the built-in formatter writes it, read into an array the GC does not zero
/// first: the copy overwrites every byte, and for a payload of megabytes zeroing is another pass over memory as long
/// as the copy itself.
/// </summary>
internal sealed class PayloadBytesFormatter : IMessagePackFormatter<byte[]?>
{
    public static readonly PayloadBytesFormatter Instance = new();

    private PayloadBytesFormatter()
    {
    }

    public void Serialize(ref MessagePackWriter writer, byte[]? value, MessagePackSerializerOptions options) => writer.Write(value);

    public byte[]? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.ReadBytes() is not { } bytes) return null;
        var array = GC.AllocateUninitializedArray<byte>(checked((int)bytes.Length));
        bytes.CopyTo(array);
        return array;
    }
}
