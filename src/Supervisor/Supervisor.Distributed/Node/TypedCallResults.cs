using Supervisor.Distributed.Wire;

namespace Supervisor.Distributed.Node;

/// <summary>The results of a task's calls as the pool gave them: values of <typeparamref name="TResult"/>, written by its formatter only into the result frame.</summary>
internal sealed class TypedCallResults<TResult>(TResult[] values, Exception?[] errors) : CallResults
{
    /// <inheritdoc />
    public override int Count => values.Length;

    /// <inheritdoc />
    public override Exception? ErrorOf(int index) => errors[index];

    /// <inheritdoc />
    public override byte[] Encode(string taskId, string nodeName, CallError?[] errors) => ResultFrame.Encode(taskId, nodeName, values, errors);
}
