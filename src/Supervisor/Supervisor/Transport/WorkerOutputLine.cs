namespace Supervisor;

/// <summary>A line a worker wrote to its standard output or error.</summary>
/// <param name="WorkerName">The worker's name, e.g. <c>worker-2</c>.</param>
/// <param name="ProcessId">The worker's process id.</param>
/// <param name="IsError">True for standard error.</param>
/// <param name="Text">The line, without its end-of-line.</param>
public sealed record WorkerOutputLine(string WorkerName, int ProcessId, bool IsError, string Text)
{
    /// <summary>The line as the default output handler prints it: <c>[worker-2] text</c>.</summary>
    public override string ToString() => $"[{WorkerName}] {Text}";
}
