using MessagePack;

namespace Supervisor.Protocol.Messages;

/// <summary>A message that is a whole frame: <see cref="Framing.FrameWriter.Write{TMessage}"/> frames it.</summary>
internal interface IFrameMessage
{
    /// <summary>Writes the message, envelope included.</summary>
    void Write(ref MessagePackWriter writer);
}
