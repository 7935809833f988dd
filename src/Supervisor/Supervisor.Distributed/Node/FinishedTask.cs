namespace Supervisor.Distributed.Node;

/// <summary>A task run to its answer: the result frame to store in <paramref name="ReplyKey"/>, then the entry to acknowledge.</summary>
/// <param name="EntryId">The task's entry in the calls stream.</param>
/// <param name="ReplyKey">The caller's reply stream.</param>
/// <param name="Result">The result frame.</param>
/// <param name="Redelivered">Whether this was not the task's first delivery (so a last error may be kept for it, to delete).</param>
internal sealed record FinishedTask(string EntryId, string ReplyKey, byte[] Result, bool Redelivered);
