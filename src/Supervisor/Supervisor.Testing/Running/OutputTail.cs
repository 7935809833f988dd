namespace Supervisor.Testing.Running;

/// <summary>
/// The last lines each child wrote, kept for a failure's message, and passed on to the user's receiver. Bounded
/// twice over: lines per child, and children remembered (a warm pool starts a new one per call).
/// </summary>
internal sealed class OutputTail(int linesPerChild, Action<WorkerOutputLine>? receiver)
{
    private const int ChildrenRemembered = 32;

    private readonly Dictionary<string, Queue<string>> _lines = [];
    private readonly Queue<string> _children = new();

    public void Add(WorkerOutputLine line)
    {
        receiver?.Invoke(line);
        if (linesPerChild == 0) return;
        lock (_lines)
        {
            if (!_lines.TryGetValue(line.WorkerName, out var lines))
            {
                if (_children.Count == ChildrenRemembered) _lines.Remove(_children.Dequeue());
                _children.Enqueue(line.WorkerName);
                _lines[line.WorkerName] = lines = new Queue<string>();
            }
            if (lines.Count == linesPerChild) lines.Dequeue();
            lines.Enqueue(line.IsError ? $"[stderr] {line.Text}" : line.Text);
        }
    }

    /// <summary>The last lines of <paramref name="workerName"/>, oldest first; empty if it wrote none.</summary>
    public IReadOnlyList<string> Of(string workerName)
    {
        lock (_lines) return _lines.TryGetValue(workerName, out var lines) ? [.. lines] : [];
    }
}
