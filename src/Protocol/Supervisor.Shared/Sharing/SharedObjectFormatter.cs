using System.Buffers;
using MessagePack;
using MessagePack.Formatters;
using Supervisor.Protocol.Serialization;

namespace Supervisor.Sharing;

/// <summary>
/// Writes a shared object as a reference, <c>[kind, socket path, auth key, object id]</c>, and reads one back as a
/// proxy of the declared type, attached to this process's endpoint for that manager. Nothing of the object itself
/// crosses; the reference is read as untrusted data like every other value.
/// </summary>
/// <typeparam name="TShared">The proxy type the value is declared with.</typeparam>
internal sealed class SharedObjectFormatter<TShared> : IMessagePackFormatter<TShared?>
    where TShared : class, ISharedReference<TShared>
{
    private const int FieldCount = 4;

    public void Serialize(ref MessagePackWriter writer, TShared? value, MessagePackSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }
        var handle = value.Handle;
        if (handle.Endpoint.IsClosed)
        {
            throw new InvalidOperationException(
                $"A {TypeNames.Format(typeof(TShared))} cannot be sent: {SharedHandle.DisposedReason}; create it from a manager that outlives the processes using it (dispose the manager after joining them).");
        }
        writer.WriteArrayHeader(FieldCount);
        writer.Write((byte)handle.Kind);
        writer.Write(handle.Endpoint.Address.SocketPath);
        writer.Write(handle.Endpoint.Address.AuthKey);
        writer.Write(handle.ObjectId);
    }

    public TShared? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.TryReadNil()) return null;
        var count = reader.ReadArrayHeader();
        if (count != FieldCount) throw Invalid($"it has {count} fields; {FieldCount} were expected");
        var kind = (SharedObjectKind)reader.ReadByte();
        if (!Enum.IsDefined(kind)) throw Invalid($"its kind {(byte)kind} is unknown");
        if (!TShared.CanRead(kind)) throw Invalid($"it names a {kind}, which cannot be used as one");
        var path = reader.ReadString();
        if (string.IsNullOrEmpty(path) || path.Length > SharingAddress.MaxSocketPathLength) throw Invalid("its socket path is empty or too long");
        var key = reader.ReadBytes()?.ToArray();
        if (key is not { Length: SharingAddress.KeyBytes }) throw Invalid($"its auth key is not {SharingAddress.KeyBytes} bytes");
        var objectId = reader.ReadInt64();
        if (objectId <= 0) throw Invalid($"its object id {objectId} is not positive");
        var endpoint = SharingEndpoints.Resolve(new SharingAddress(path, key));
        return TShared.Attach(new SharedHandle(endpoint, objectId, kind));
    }

    private static MessagePackSerializationException Invalid(string why) =>
        new($"A {TypeNames.Format(typeof(TShared))} reference is invalid: {why}.");
}
