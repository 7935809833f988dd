using MessagePack;

namespace Supervisor.Protocol.Messages;

/// <summary>
/// The supervisor asks a worker whose call passed the task timeout what it has and what runs. The worker's pipe
/// thread answers while the call runs: it sends the results gathered so far, then a <see cref="RunningMessage"/>
/// naming the call that runs (none if no call runs), so that the supervisor knows which call to blame when it kills.
/// </summary>
internal readonly record struct ProbeMessage : IFrameMessage
{
    internal const int FieldCount = 0;

    /// <summary>Writes the message, envelope included.</summary>
    public void Write(ref MessagePackWriter writer) => Envelope.WriteHeader(ref writer, MessageKind.Probe, FieldCount);
}
