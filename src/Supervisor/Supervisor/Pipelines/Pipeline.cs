namespace Supervisor.Pipelines;

/// <summary>
/// Starts a multi-stage producer/consumer pipeline (Python's <c>Pool</c> + <c>Queue</c> pattern):
/// <c>Pipeline.From(items).ThenOnThreads(read, 10).ThenInProcesses(compute, 3).RunAsync()</c>.
/// </summary>
public static class Pipeline
{
    /// <summary>A pipeline whose first stage reads <paramref name="source"/>; it is enumerated once per run.</summary>
    public static Pipeline<T> From<T>(IAsyncEnumerable<T> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new Pipeline<T>(_ => source, stageCount: 0);
    }

    /// <summary>A pipeline whose first stage reads <paramref name="source"/>; it is enumerated once per run.</summary>
    public static Pipeline<T> From<T>(IEnumerable<T> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return From(source.ToAsyncEnumerable());
    }
}
