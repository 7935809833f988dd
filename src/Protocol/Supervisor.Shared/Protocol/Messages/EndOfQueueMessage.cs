using MessagePack;

namespace Supervisor.Protocol.Messages;

/// <summary><c>EndOfQueue</c>: the worker finishes what it has, flushes, and exits with code 0.</summary>
internal readonly record struct EndOfQueueMessage : IFrameMessage
{
    /// <summary>Writes the message, envelope included.</summary>
    public void Write(ref MessagePackWriter writer) => Envelope.WriteHeader(ref writer, MessageKind.EndOfQueue, 0);
}
