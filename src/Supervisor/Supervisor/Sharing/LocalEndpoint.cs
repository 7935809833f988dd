using Supervisor.Protocol.Serialization;

namespace Supervisor.Sharing;

/// <summary>The manager as its own process reaches it: straight to the hosted objects, no socket.</summary>
internal sealed class LocalEndpoint(SharingAddress address, HostedObjects objects) : ISharingEndpoint
{
    private volatile bool _closed;

    public SharingAddress Address => address;

    public bool IsClosed => _closed;

    public SerializabilityChecker Checker { get; } = new(WireSerializer.Options);

    public void MarkClosed() => _closed = true;

    public ValueTask<SharingResponse> InvokeAsync(SharingRequest request, CancellationToken cancellationToken) =>
        objects.InvokeAsync(request, onPipeEnd: null, cancellationToken);
}
