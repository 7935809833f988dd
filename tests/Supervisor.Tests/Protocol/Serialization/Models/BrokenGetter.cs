namespace Supervisor.Tests.Protocol.Serialization.Models;

/// <summary>A getter that throws when read.</summary>
public sealed class BrokenGetter
{
    public bool Loaded { get; set; }

    public object? Value => Loaded ? "loaded" : throw new InvalidOperationException("not loaded yet");
}
