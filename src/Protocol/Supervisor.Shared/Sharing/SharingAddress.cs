namespace Supervisor.Sharing;

/// <summary>Where a manager listens and the key that proves a client was given one of its references.</summary>
/// <param name="SocketPath">The Unix domain socket's path, inside a directory only its owner can enter.</param>
/// <param name="AuthKey">Random bytes checked in the handshake (<see cref="KeyBytes"/> long).</param>
internal sealed record SharingAddress(string SocketPath, byte[] AuthKey)
{
    /// <summary>Length of an auth key.</summary>
    public const int KeyBytes = 32;

    /// <summary>The longest socket path accepted from the wire (Unix allows about 104 bytes; Windows more).</summary>
    public const int MaxSocketPathLength = 1024;
}
