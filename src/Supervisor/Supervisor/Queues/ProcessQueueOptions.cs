namespace Supervisor;

/// <summary>Options of a <see cref="ProcessQueue{TIn, TOut}"/>: those of its workers, and the input queue's bound.</summary>
public sealed record ProcessQueueOptions : WorkerOptions
{
    /// <summary>
    /// Most items waiting for a worker at once (Python's <c>maxsize</c>); <c>PutAsync</c> waits for room beyond
    /// it. Each worker also holds its small window of items. 0 means unbounded. Default: 0.
    /// </summary>
    public int MaxSize { get; set; }

    internal override void Validate()
    {
        base.Validate();
        if (MaxSize < 0) throw new ArgumentOutOfRangeException(nameof(MaxSize), MaxSize, "Must not be negative.");
    }
}
