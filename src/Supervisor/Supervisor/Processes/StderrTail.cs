namespace Supervisor.Processes;

/// <summary>The last few lines a worker wrote to stderr, for the message of a crash or a failed start.</summary>
internal sealed class StderrTail(int capacity = 20)
{
    private readonly Queue<string> _lines = new();

    public void Add(string line)
    {
        lock (_lines)
        {
            if (_lines.Count == capacity) _lines.Dequeue();
            _lines.Enqueue(line);
        }
    }

    public IReadOnlyList<string> Lines()
    {
        lock (_lines) return [.. _lines];
    }
}
