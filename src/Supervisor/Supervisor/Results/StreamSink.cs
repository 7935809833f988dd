using System.Threading.Channels;
using MessagePack;

namespace Supervisor.Results;

/// <summary>Outcomes in the order they arrive, for imap and the queues; the reader reorders when it must.</summary>
internal sealed class StreamSink<T> : IResultSink
{
    private ResultReader<T> _reader;
    private readonly Channel<TaskOutcome<T>> _arrivals = Channel.CreateUnbounded<TaskOutcome<T>>(
        new UnboundedChannelOptions { SingleReader = true });

    public ChannelReader<TaskOutcome<T>> Arrivals => _arrivals.Reader;

    public void OnResult(int index, ref MessagePackReader value)
    {
        var outcome = _reader.TryRead(ref value, out var result, out var error)
            ? new TaskOutcome<T>(index, result, null)
            : new TaskOutcome<T>(index, default, error);
        _arrivals.Writer.TryWrite(outcome);
    }

    public void OnFailure(int index, Exception error) => _arrivals.Writer.TryWrite(new TaskOutcome<T>(index, default, error));

    /// <summary>No more outcomes will come (the queue ended).</summary>
    public void Complete() => _arrivals.Writer.TryComplete();
}
