namespace Supervisor.Tests.Protocol.Serialization.Models;

/// <summary>Two references that may point at the same node (a DAG, not a cycle).</summary>
public sealed class NodePair
{
    public Node? Left { get; set; }

    public Node? Right { get; set; }
}
