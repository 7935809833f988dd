namespace Supervisor.Tests.Protocol.Serialization.Models;

/// <summary>A contractless class with a Stream member.</summary>
public sealed class LogSink
{
    public string Name { get; set; } = "";

    public Stream? Log { get; set; }
}
