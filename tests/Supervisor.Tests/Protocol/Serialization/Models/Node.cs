namespace Supervisor.Tests.Protocol.Serialization.Models;

/// <summary>A recursive type: fine as a chain, refused when it closes a cycle.</summary>
public sealed class Node
{
    public string Name { get; set; } = "";

    public Node? Next { get; set; }
}
