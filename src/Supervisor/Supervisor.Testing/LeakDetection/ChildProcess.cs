namespace Supervisor.Testing.LeakDetection;

/// <summary>A process descended from this one: its id and what it runs (its command line where the OS tells it).</summary>
internal sealed record ChildProcess(int ProcessId, string CommandLine);
