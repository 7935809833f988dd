using System.Threading.Channels;

namespace Supervisor.Sharing;

/// <summary>
/// The items of one hosted queue (or one direction of a pipe), as serialized bytes, with the waits a manager's
/// requests ask for. A cancelled or timed-out get never takes an item: channels guarantee it.
/// </summary>
internal sealed class ItemChannel
{
    private readonly Channel<byte[]> _items;
    private volatile bool _closed;

    /// <summary>A channel holding at most <paramref name="maxSize"/> items, or any number when it is 0.</summary>
    public ItemChannel(int maxSize)
    {
        // One writer order is kept: blocked puts are served first come, first served.
        _items = maxSize == 0
            ? Channel.CreateUnbounded<byte[]>()
            : Channel.CreateBounded<byte[]>(new BoundedChannelOptions(maxSize) { FullMode = BoundedChannelFullMode.Wait });
    }

    public int Count => _items.Reader.Count;

    /// <summary>No more puts; gets drain what is left, then see the end.</summary>
    public void Close()
    {
        _closed = true;
        _items.Writer.TryComplete();
    }

    public async ValueTask<SharingStatus> PutAsync(byte[] item, long timeoutMilliseconds, CancellationToken cancellationToken)
    {
        if (_items.Writer.TryWrite(item)) return SharingStatus.Ok;
        if (_closed) return SharingStatus.Ended;
        if (timeoutMilliseconds == 0) return SharingStatus.Full;
        using var wait = Deadline(timeoutMilliseconds, cancellationToken);
        try
        {
            await _items.Writer.WriteAsync(item, wait.Token).ConfigureAwait(false);
            return SharingStatus.Ok;
        }
        catch (ChannelClosedException)
        {
            return SharingStatus.Ended;
        }
        catch (OperationCanceledException)
        {
            return cancellationToken.IsCancellationRequested ? SharingStatus.Cancelled : SharingStatus.Full;
        }
    }

    public async ValueTask<SharingResponse> TakeAsync(long timeoutMilliseconds, CancellationToken cancellationToken)
    {
        if (_items.Reader.TryRead(out var item)) return new SharingResponse(SharingStatus.Item, 0, item);
        if (_items.Reader.Completion.IsCompleted) return SharingResponse.Of(SharingStatus.Ended);
        if (timeoutMilliseconds == 0) return SharingResponse.Of(SharingStatus.Empty);
        using var wait = Deadline(timeoutMilliseconds, cancellationToken);
        try
        {
            return new SharingResponse(SharingStatus.Item, 0, await _items.Reader.ReadAsync(wait.Token).ConfigureAwait(false));
        }
        catch (ChannelClosedException)
        {
            return SharingResponse.Of(SharingStatus.Ended);
        }
        catch (OperationCanceledException)
        {
            return SharingResponse.Of(cancellationToken.IsCancellationRequested ? SharingStatus.Cancelled : SharingStatus.Empty);
        }
    }

    /// <summary>Value 1 when a take would not wait (an item, or the end), else 0 after the timeout.</summary>
    public async ValueTask<SharingResponse> PollAsync(long timeoutMilliseconds, CancellationToken cancellationToken)
    {
        var ready = _items.Reader.TryPeek(out _) || _items.Reader.Completion.IsCompleted;
        if (!ready && timeoutMilliseconds != 0)
        {
            using var wait = Deadline(timeoutMilliseconds, cancellationToken);
            try
            {
                // True (an item) or false (the end): either way a take would not wait.
                await _items.Reader.WaitToReadAsync(wait.Token).ConfigureAwait(false);
                ready = true;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
            catch (OperationCanceledException)
            {
                return SharingResponse.Of(SharingStatus.Cancelled);
            }
        }
        return new SharingResponse(SharingStatus.Ok, ready ? 1 : 0, null);
    }

    // The caller's token, cancelled after the timeout too (−1: no timeout).
    private static CancellationTokenSource Deadline(long timeoutMilliseconds, CancellationToken cancellationToken)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeoutMilliseconds > 0) source.CancelAfter(TimeSpan.FromMilliseconds(timeoutMilliseconds));
        return source;
    }
}
