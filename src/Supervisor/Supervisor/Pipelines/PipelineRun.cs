using System.Runtime.ExceptionServices;

namespace Supervisor.Pipelines;

/// <summary>
/// One run of a pipeline: the token every stage obeys, the stages' tasks, and the first failure. Stages end
/// their output cleanly when they fail, so downstream drains; the run then rethrows the failure to the consumer.
/// </summary>
internal sealed class PipelineRun : IAsyncDisposable
{
    private readonly CancellationTokenSource _cancellation;
    private readonly List<Task> _stages = [];
    private Exception? _failure;

    public PipelineRun(CancellationToken cancellationToken) =>
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

    public CancellationToken Token => _cancellation.Token;

    public void Add(Task stage) => _stages.Add(stage);

    /// <summary>Keeps the first failure; later ones are usually consequences of it.</summary>
    public void Fail(Exception error) => Interlocked.CompareExchange(ref _failure, error, null);

    /// <summary>Called once the last stage's output has ended: throws the run's failure, if any.</summary>
    public async Task CompleteAsync()
    {
        if (_failure is not null)
        {
            // Upstream of the failed stage may be blocked writing to a queue nobody reads any more.
            await _cancellation.CancelAsync().ConfigureAwait(false);
        }
        await Task.WhenAll(_stages).ConfigureAwait(false);
        if (_failure is not null) ExceptionDispatchInfo.Throw(_failure);
    }

    /// <summary>Stops every stage and waits for each, so no worker process outlives the run.</summary>
    public async ValueTask DisposeAsync()
    {
        await _cancellation.CancelAsync().ConfigureAwait(false);
        // Stages never throw out of their task: they record failures with Fail and end their output.
        await Task.WhenAll(_stages).ConfigureAwait(false);
        _cancellation.Dispose();
    }
}
