using MessagePack;
using Supervisor.Protocol.Framing;

namespace Supervisor.Protocol.Messages;

/// <summary>Reads strings that the protocol requires to be present.</summary>
internal static class WireStrings
{
    public static string Read(ref MessagePackReader reader, string field) =>
        reader.ReadString() ?? throw new ProtocolException($"The {field} was nil; a string is required.");
}
