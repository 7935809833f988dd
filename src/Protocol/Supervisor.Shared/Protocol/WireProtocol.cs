namespace Supervisor.Protocol;

/// <summary>Constants both ends of a worker's pipes agree on.</summary>
internal static class WireProtocol
{
    /// <summary>The protocol version exchanged in the handshake; a worker speaking another one is refused.</summary>
    public const int Version = 4;

    /// <summary>
    /// How long a Probe's answer is worth waiting for, in milliseconds: the supervisor waits no longer for the report,
    /// and the worker's pipe thread no longer for the output it must flush before going back to reading the pipe.
    /// </summary>
    public const int ProbeAnswerMilliseconds = 5_000;

    /// <summary>Bytes of the length prefix in front of every frame (little-endian unsigned 32-bit).</summary>
    public const int FrameHeaderBytes = 4;

    /// <summary>The default upper bound of one frame's payload: 64 MiB.</summary>
    public const int DefaultMaxFrameBytes = 64 * 1024 * 1024;
}
