using MessagePack;
using Supervisor.Protocol.Framing;

namespace Supervisor.Protocol.Messages;

/// <summary>
/// Every message is a MessagePack array whose first element is its <see cref="MessageKind"/>; the fields follow.
/// </summary>
internal static class Envelope
{
    /// <summary>Starts a message of <paramref name="kind"/> with <paramref name="fieldCount"/> fields after the kind.</summary>
    public static void WriteHeader(ref MessagePackWriter writer, MessageKind kind, int fieldCount)
    {
        writer.WriteArrayHeader(fieldCount + 1);
        writer.Write((byte)kind);
    }

    /// <summary>Reads the kind of a message and checks it has exactly the fields that kind has.</summary>
    /// <exception cref="ProtocolException">Not an array, an unknown kind, or the wrong number of fields.</exception>
    public static MessageKind ReadHeader(ref MessagePackReader reader)
    {
        var count = reader.ReadArrayHeader();
        if (count < 1) throw new ProtocolException("A message was an empty array; it must start with its kind.");
        var raw = reader.ReadByte();
        var kind = (MessageKind)raw;
        var expected = FieldCount(kind)
            ?? throw new ProtocolException($"Unknown message kind {raw}.");
        // A task's trace context is its one optional field (see TaskMessage.Trace).
        if (count - 1 != expected && !(kind == MessageKind.Task && count - 1 == TaskMessage.FieldCountWithTrace))
        {
            throw new ProtocolException($"A {kind} message had {count - 1} fields; {expected} were expected.");
        }
        return kind;
    }

    private static int? FieldCount(MessageKind kind) => kind switch
    {
        MessageKind.Hello => HelloMessage.FieldCount,
        MessageKind.Define => DefineMessage.FieldCount,
        MessageKind.Task => TaskMessage.FieldCount,
        MessageKind.Result => ResultMessage.FieldCount,
        MessageKind.Error => ErrorMessage.FieldCount,
        MessageKind.EndOfQueue => 0,
        MessageKind.Cancel => CancelMessage.FieldCount,
        MessageKind.Inherit => InheritMessage.FieldCount,
        MessageKind.Probe => ProbeMessage.FieldCount,
        MessageKind.Running => RunningMessage.FieldCount,
        MessageKind.Payload => PayloadMessage.FieldCount,
        MessageKind.ManagerHello => Sharing.ManagerHelloMessage.FieldCount,
        MessageKind.ManagerRequest => Sharing.ManagerRequestMessage.FieldCount,
        MessageKind.ManagerResponse => Sharing.ManagerResponseMessage.FieldCount,
        _ => null,
    };
}
