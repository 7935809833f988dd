using Supervisor.Protocol.Serialization;

namespace Supervisor.Sharing;

/// <summary>
/// Where a proxy's operations go: the manager itself when it lives in this process, or this process's one
/// connection to its socket.
/// </summary>
internal interface ISharingEndpoint
{
    /// <summary>The manager's socket and key, written into every reference that leaves this process.</summary>
    SharingAddress Address { get; }

    /// <summary>True once the manager is known to be gone (it was disposed here): its objects can no longer be used or sent.</summary>
    bool IsClosed { get; }

    /// <summary>Checks and writes the items proxies of this endpoint send: one per endpoint, so a proxy made per task reuses what it learnt of a type.</summary>
    SerializabilityChecker Checker { get; }

    /// <summary>Runs one operation. Cancelling asks the manager to stop it; what it took first is still returned.</summary>
    /// <exception cref="IOException">The manager cannot be reached.</exception>
    ValueTask<SharingResponse> InvokeAsync(SharingRequest request, CancellationToken cancellationToken);
}
