namespace Supervisor.Tests.Protocol.Serialization.Models;

/// <summary>A record of primitives: the checker's "safe leaf graph".</summary>
public record Point(int X, int Y);
