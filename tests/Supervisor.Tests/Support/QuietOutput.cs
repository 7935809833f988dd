using System.Collections.Concurrent;

namespace Supervisor.Tests.Support;

/// <summary>Collects what workers print, instead of letting it reach the test runner's console.</summary>
public sealed class QuietOutput
{
    private readonly ConcurrentQueue<WorkerOutputLine> _lines = new();

    public IReadOnlyCollection<WorkerOutputLine> Lines => _lines;

    public void Add(WorkerOutputLine line) => _lines.Enqueue(line);

    public WorkerOptions Options(int workers) => new() { Workers = workers, Output = Add };
}
