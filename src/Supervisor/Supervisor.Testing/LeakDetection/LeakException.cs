namespace Supervisor.Testing;

/// <summary>Guarded code left something behind: a process, shared memory, a socket file or a pool not disposed.</summary>
public sealed class LeakException : Exception
{
    /// <summary>Creates the exception naming each leak.</summary>
    public LeakException(IReadOnlyList<string> leaks)
        : base($"Left behind:{Environment.NewLine}{string.Join(Environment.NewLine, (leaks ?? []).Select(leak => $"  - {leak}"))}")
    {
        ArgumentNullException.ThrowIfNull(leaks);
        Leaks = leaks;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public LeakException(string message) : base(message) => Leaks = [message];

    /// <summary>Creates the exception with a message and a cause.</summary>
    public LeakException(string message, Exception innerException) : base(message, innerException) => Leaks = [message];

    /// <summary>Creates the exception with a default message.</summary>
    public LeakException() : this("Guarded code left something behind.") { }

    /// <summary>What was left, one sentence each, e.g. <c>process 4711 still runs: dotnet ... worker-1</c>.</summary>
    public IReadOnlyList<string> Leaks { get; }
}
