namespace Supervisor.Sharing;

/// <summary>
/// One end of a hosted pipe: it sends into one channel and receives from the other, which the other end sends into.
/// Closing an end closes both, so the other end receives what was sent and then the end, and its sends fail.
/// </summary>
internal sealed class HostedPipeEnd(ItemChannel incoming, ItemChannel outgoing, bool canSend, bool canReceive)
{
    /// <summary>The two ends of a new pipe; in a one-way pipe (Python's <c>Pipe(duplex=False)</c>) the first only receives and the second only sends.</summary>
    public static (HostedPipeEnd First, HostedPipeEnd Second) CreatePair(bool duplex)
    {
        var toFirst = new ItemChannel(0);
        var toSecond = new ItemChannel(0);
        return (new HostedPipeEnd(toFirst, toSecond, canSend: duplex, canReceive: true),
                new HostedPipeEnd(toSecond, toFirst, canSend: true, canReceive: duplex));
    }

    public void Close()
    {
        outgoing.Close();
        incoming.Close();
    }

    public async ValueTask<SharingResponse> InvokeAsync(SharingRequest request, CancellationToken cancellationToken)
    {
        switch (request.Operation)
        {
            case SharingOperation.Put when canSend:
                return SharingResponse.Of(await outgoing.PutAsync(request.Payload, -1, cancellationToken).ConfigureAwait(false));
            case SharingOperation.Get when canReceive:
                return await incoming.TakeAsync(request.TimeoutMilliseconds, cancellationToken).ConfigureAwait(false);
            case SharingOperation.Poll when canReceive:
                return await incoming.PollAsync(request.TimeoutMilliseconds, cancellationToken).ConfigureAwait(false);
            case SharingOperation.Close:
                Close();
                return SharingResponse.Ok;
            case SharingOperation.Put or SharingOperation.Get or SharingOperation.Poll:
                return SharingResponse.Refused(
                    $"This end of a one-way pipe only {(canSend ? "sends" : "receives")}; Pipe(duplex: false) returns (receiver, sender).");
            default:
                return SharingResponse.Refused($"A pipe end has no {request.Operation} operation.");
        }
    }
}
