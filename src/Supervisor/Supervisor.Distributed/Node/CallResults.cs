using Supervisor.Distributed.Wire;

namespace Supervisor.Distributed.Node;

/// <summary>What a task's calls came to on the node's pool: each call's value, of the function's result type, or the error it ended with.</summary>
internal abstract class CallResults
{
    /// <summary>How many calls.</summary>
    public abstract int Count { get; }

    /// <summary>The error call <paramref name="index"/> ended with, or null if it returned.</summary>
    public abstract Exception? ErrorOf(int index);

    /// <summary>The result frame: call i's error as <paramref name="errors"/>[i] describes it, or else its value.</summary>
    public abstract byte[] Encode(string taskId, string nodeName, CallError?[] errors);
}
