using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Supervisor.Sharing;

/// <summary>
/// This process's way to each manager: the manager itself when it lives here, else one connection to its socket,
/// opened on first use and shared (multiplexed) by every proxy of this process.
/// </summary>
/// <remarks>
/// Process-wide on purpose: a reference is turned into a proxy deep inside MessagePack, where nothing but the
/// bytes is at hand, and "one connection per process" is the point (as Python's manager proxies share one per
/// process). It only ever maps a socket path to the endpoint for it.
/// </remarks>
internal static class SharingEndpoints
{
    private static readonly ConcurrentDictionary<string, ISharingEndpoint> BySocketPath = new(StringComparer.Ordinal);

    /// <summary>Routes references to <paramref name="local"/>'s socket straight to it, without a connection.</summary>
    public static void AddLocal(ISharingEndpoint local) => BySocketPath[local.Address.SocketPath] = local;

    /// <summary>
    /// Forgets <paramref name="endpoint"/> (if it is still the one for its socket): a manager here once it is disposed,
    /// a connection once it has failed, so that neither stays for the life of the process.
    /// </summary>
    public static void Remove(ISharingEndpoint endpoint) =>
        BySocketPath.TryRemove(KeyValuePair.Create(endpoint.Address.SocketPath, endpoint));

    /// <summary>The endpoint for <paramref name="address"/>; a connection to it is opened on first use.</summary>
    /// <exception cref="InvalidDataException">Another reference to the same socket carried a different key.</exception>
    public static ISharingEndpoint Resolve(SharingAddress address)
    {
        var endpoint = BySocketPath.GetOrAdd(address.SocketPath, static (_, a) => new ManagerClient(a), address);
        if (!CryptographicOperations.FixedTimeEquals(endpoint.Address.AuthKey, address.AuthKey))
        {
            throw new InvalidDataException($"A shared object names the manager at '{address.SocketPath}' with a key that is not that manager's.");
        }
        return endpoint;
    }
}
