using MessagePack;

namespace Supervisor.Protocol.Messages;

/// <summary>The seed's <c>EndOfQueue</c>: the worker finishes what it has, flushes, and exits with code 0.</summary>
internal static class EndOfQueueMessage
{
    /// <summary>Writes the message, envelope included.</summary>
    public static void Write(ref MessagePackWriter writer) => Envelope.WriteHeader(ref writer, MessageKind.EndOfQueue, 0);
}
