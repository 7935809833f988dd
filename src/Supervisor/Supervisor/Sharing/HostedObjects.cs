using System.Collections.Concurrent;

namespace Supervisor.Sharing;

/// <summary>Every object a manager hosts, by id, and the one place a request is routed to its object.</summary>
internal sealed class HostedObjects
{
    private readonly ConcurrentDictionary<long, object> _objects = new();
    private long _lastId;

    public long AddQueue(SharedObjectKind kind, int maxSize) => Add(new HostedQueue(kind, maxSize));

    public (long First, long Second) AddPipe(bool duplex)
    {
        var (first, second) = HostedPipeEnd.CreatePair(duplex);
        return (Add(first), Add(second));
    }

    /// <summary>Runs <paramref name="request"/> on its object; <paramref name="onPipeEnd"/> learns which pipe ends a connection used.</summary>
    public ValueTask<SharingResponse> InvokeAsync(SharingRequest request, Action<HostedPipeEnd>? onPipeEnd, CancellationToken cancellationToken)
    {
        switch (_objects.GetValueOrDefault(request.ObjectId))
        {
            case HostedQueue queue:
                return queue.InvokeAsync(request, cancellationToken);
            case HostedPipeEnd end:
                onPipeEnd?.Invoke(end);
                return end.InvokeAsync(request, cancellationToken);
            default:
                return ValueTask.FromResult(SharingResponse.Refused($"This manager hosts no object {request.ObjectId}."));
        }
    }

    /// <summary>Ends every queue and closes every pipe end, so that whoever waits on one (a join too) sees the end.</summary>
    public void CloseAll()
    {
        foreach (var hosted in _objects.Values)
        {
            if (hosted is HostedQueue queue) queue.End();
            else ((HostedPipeEnd)hosted).Close();
        }
    }

    private long Add(object hosted)
    {
        var id = Interlocked.Increment(ref _lastId);
        _objects[id] = hosted;
        return id;
    }
}
