namespace Supervisor.Tests.Protocol.Serialization.Models;

/// <summary>An argument that holds a writer, which holds a file handle.</summary>
public sealed class Job
{
    public string Name { get; init; } = "";

    public required FileWriter Writer { get; init; }
}
