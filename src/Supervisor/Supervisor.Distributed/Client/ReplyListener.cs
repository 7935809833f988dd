using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Supervisor.Distributed.Redis;
using Supervisor.Distributed.Wire;

namespace Supervisor.Distributed.Client;

/// <summary>
/// Reads a client's reply stream and completes each task waiting for its results, once: a second result for the
/// same task (it ran twice, at least once being the promise) finds nobody waiting and is dropped. Read entries are
/// deleted, so a long-lived client's stream stays short; a dead client's stream expires.
/// </summary>
internal sealed class ReplyListener
{
    private const int BatchSize = 256;
    private const int BlockMilliseconds = 1000;
    private readonly RedisLink _redis;
    private readonly string _replyKey;
    private readonly int _maxFrameBytes;
    private readonly OutageLog _outage;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<ResultFrame>> _waiting = new(StringComparer.Ordinal);

    public ReplyListener(RedisLink redis, string replyKey, int maxFrameBytes, OutageLog outage, ILogger logger)
    {
        _outage = outage;
        _redis = redis;
        _replyKey = replyKey;
        _maxFrameBytes = maxFrameBytes;
        _logger = logger;
    }

    /// <summary>Registers a task about to be sent; the returned task completes with its result frame, its outcomes for the caller to read.</summary>
    public Task<ResultFrame> Expect(string taskId)
    {
        var waiting = new TaskCompletionSource<ResultFrame>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[taskId] = waiting;
        return waiting.Task;
    }

    /// <summary>Stops waiting for a task (its caller cancelled): its result, if one comes, is dropped.</summary>
    public void Forget(string taskId, CancellationToken cancellationToken)
    {
        if (_waiting.TryRemove(taskId, out var waiting)) waiting.TrySetCanceled(cancellationToken);
    }

    /// <summary>Reads results until <paramref name="stop"/>; then fails every task still waiting.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var lastId = "0-0";
        var backoff = new RetryBackoff();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var reply = await _redis.Blocking.ExecuteAsync("XREAD", "COUNT", BatchSize, "BLOCK", BlockMilliseconds, "STREAMS", _replyKey, lastId)
                        .WaitAsync(stop).ConfigureAwait(false);
                    var entries = QueuedEntry.FromReadReply(reply);
                    _outage.Succeeded();
                    backoff.Reset();
                    if (entries.Count == 0) continue;
                    foreach (var entry in entries) Deliver(entry);
                    lastId = entries[^1].Id;
                    // Not waited for: the next read starts after lastId anyway, and what a lost delete leaves expires with the stream.
                    _redis.Commands.StreamDelete(_replyKey, [.. entries.Select(e => (RedisValue)e.Id)], CommandFlags.FireAndForget);
                }
                catch (Exception e) when (RetryBackoff.IsTransient(e))
                {
                    _outage.Failed(e);
                    await Task.Delay(backoff.Next(), stop).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            foreach (var taskId in _waiting.Keys)
            {
                if (_waiting.TryRemove(taskId, out var waiting)) waiting.TrySetException(new ObjectDisposedException(nameof(DistributedPool), "The pool was disposed before this call's result came."));
            }
        }
    }

    private void Deliver(QueuedEntry entry)
    {
        if (entry.Frame is null || entry.Frame.Length > _maxFrameBytes)
        {
            _logger.LogWarning("Result {Entry} in {Key} skipped: {Size} bytes, the limit is {Limit}", entry.Id, _replyKey, entry.Frame?.Length ?? 0, _maxFrameBytes);
            return;
        }
        ResultFrame frame;
        try
        {
            frame = ResultFrame.Decode(entry.Frame);
        }
        catch (WireFormatException e)
        {
            _logger.LogWarning("Result {Entry} in {Key} skipped: {Error}", entry.Id, _replyKey, e.Message);
            return;
        }
        if (_waiting.TryRemove(frame.TaskId, out var waiting)) waiting.TrySetResult(frame);
        else _logger.LogDebug("Result for task {Task} dropped: delivered already (the task ran twice) or no longer awaited", frame.TaskId);
    }
}
