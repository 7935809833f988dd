namespace Supervisor.Tests.Protocol.Serialization.Models;

/// <summary>A record with collections of safe things: walked (its lists are not sealed), and passes.</summary>
public record Order(string Id, List<Point> Lines, Dictionary<string, int> Counts);
