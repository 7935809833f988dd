using StackExchange.Redis;
using Supervisor.Distributed.Redis;

namespace Supervisor.Distributed.Node;

/// <summary>
/// Stores finished tasks' results in their callers' reply streams and acknowledges the tasks, several per transaction:
/// while one transaction is out, the results that finish gather, and the next transaction carries them all. Each task
/// is still acknowledged only in the transaction that stores its result, so a node that dies has either stored and
/// acknowledged a task or neither; one round trip to Redis serves a batch instead of a task.
/// </summary>
internal sealed class ResultWriter
{
    private readonly QueueKeys _keys;
    private readonly TimeSpan _resultTimeToLive;
    private readonly Func<Func<IDatabase, Task<bool>>, Task<bool>> _retry;
    private readonly Lock _gate = new();
    private List<(FinishedTask Task, TaskCompletionSource Stored)> _gathering = [];
    private bool _writing;
    private int _backlog;

    /// <param name="keys">The queue's keys.</param>
    /// <param name="resultTimeToLive">How long a reply stream lives after its last result.</param>
    /// <param name="retry">Runs a command until Redis answers (waiting with backoff while it is unreachable).</param>
    public ResultWriter(QueueKeys keys, TimeSpan resultTimeToLive, Func<Func<IDatabase, Task<bool>>, Task<bool>> retry)
    {
        _keys = keys;
        _resultTimeToLive = resultTimeToLive;
        _retry = retry;
    }

    /// <summary>How many results wait to be stored or are being stored now.</summary>
    public int Backlog => Volatile.Read(ref _backlog);

    /// <summary>Stores <paramref name="task"/>'s result and acknowledges it; completes once Redis has done both.</summary>
    public Task StoreAsync(FinishedTask task)
    {
        var stored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool start;
        lock (_gate)
        {
            _gathering.Add((task, stored));
            _backlog++;
            start = !_writing;
            _writing = true;
        }
        if (start) _ = Task.Run(WriteGatheredAsync);
        return stored.Task;
    }

    private async Task WriteGatheredAsync()
    {
        while (true)
        {
            List<(FinishedTask Task, TaskCompletionSource Stored)> batch;
            lock (_gate)
            {
                if (_gathering.Count == 0)
                {
                    _writing = false;
                    return;
                }
                batch = _gathering;
                _gathering = [];
            }
            try
            {
                await _retry(db => Write(db, batch)).ConfigureAwait(false);
                foreach (var (_, stored) in batch) stored.TrySetResult();
            }
            catch (Exception e)
            {
                // Given up (the node abandons what it holds): the tasks stay pending, for other nodes to claim.
                foreach (var (_, stored) in batch) stored.TrySetException(e);
            }
            finally
            {
                lock (_gate) _backlog -= batch.Count;
            }
        }
    }

    private Task<bool> Write(IDatabase db, List<(FinishedTask Task, TaskCompletionSource Stored)> batch)
    {
        var transaction = db.CreateTransaction();
        foreach (var (task, _) in batch) _ = transaction.StreamAddAsync(task.ReplyKey, QueuedEntry.FrameField, task.Result);
        foreach (var replyKey in batch.Select(b => b.Task.ReplyKey).Distinct(StringComparer.Ordinal))
        {
            _ = transaction.KeyExpireAsync(replyKey, _resultTimeToLive);
        }
        _ = transaction.StreamAcknowledgeAsync(_keys.Calls, QueueKeys.Group, [.. batch.Select(b => (RedisValue)b.Task.EntryId)]);
        // Only a task delivered again can have a last error kept (a worker died under an earlier delivery).
        var redelivered = batch.Where(b => b.Task.Redelivered).Select(b => (RedisValue)b.Task.EntryId).ToArray();
        if (redelivered.Length > 0) _ = transaction.HashDeleteAsync(_keys.LastErrors, redelivered);
        return transaction.ExecuteAsync();
    }
}
