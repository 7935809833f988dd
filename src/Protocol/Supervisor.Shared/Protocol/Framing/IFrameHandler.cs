using System.Buffers;

namespace Supervisor.Protocol.Framing;

/// <summary>Receives the payload of each complete frame a <see cref="FrameReader"/> cuts out.</summary>
internal interface IFrameHandler
{
    /// <summary>Handles one payload; it is only valid for the duration of the call.</summary>
    void OnFrame(ReadOnlySequence<byte> payload);
}
