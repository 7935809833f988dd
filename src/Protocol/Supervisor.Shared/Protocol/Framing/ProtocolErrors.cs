using MessagePack;

namespace Supervisor.Protocol.Framing;

/// <summary>Which exceptions mean "the peer sent bytes that are not the protocol", as opposed to a bug here.</summary>
internal static class ProtocolErrors
{
    /// <summary>
    /// True for the exceptions malformed input can raise while frames and messages are read: the readers' own
    /// <see cref="ProtocolException"/>, and MessagePack's errors for bad or truncated values and out-of-range
    /// numbers, and the argument errors its reader raises for lengths that run past the payload (found by
    /// fuzzing: see FuzzTests).
    /// </summary>
    public static bool IsProtocolError(Exception exception) =>
        exception is ProtocolException or MessagePackSerializationException or EndOfStreamException or OverflowException
            or ArgumentOutOfRangeException;
}
