using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Supervisor.Distributed.Redis;
using Supervisor.Distributed.Wire;

namespace Supervisor.Distributed.Node;

/// <summary>
/// A node's member of the queue's consumer group. The read loop takes new tasks while the credit window has room; the
/// claim loop keeps the tasks held here fresh (so no other node claims them while they run), claims tasks other nodes
/// left idle past the claim time, dead-letters those delivered too often, and trims what every node has acknowledged.
/// A task's result and its acknowledgement are one transaction (with those of other tasks finished meanwhile):
/// acknowledged only once stored.
/// </summary>
internal sealed class QueueConsumer : IDisposable
{
    private const int BlockMilliseconds = 1000;
    private readonly RedisLink _redis;
    private readonly QueueKeys _keys;
    private readonly CallExecutor _executor;
    private readonly DistributedNodeOptions _options;
    private readonly string _nodeName;
    private readonly ILogger _logger;
    private readonly CreditWindow _credit;
    private readonly int _maxHeldTasks;
    private readonly ResultWriter _results;
    private readonly OutageLog _outage;
    private readonly ConcurrentDictionary<string, Task> _held = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopTaking = new();
    private readonly CancellationTokenSource _abandon = new();
    private int _claimDue;
    private RedisValue _claimCursor = "0-0";

    public QueueConsumer(RedisLink redis, QueueKeys keys, CallExecutor executor, DistributedNodeOptions options, string nodeName, int workers, int maxHeldTasks, ILogger logger)
    {
        _redis = redis;
        _keys = keys;
        _executor = executor;
        _options = options;
        _nodeName = nodeName;
        _logger = logger;
        _maxHeldTasks = maxHeldTasks;
        _credit = new CreditWindow(2 * workers, maxHeldTasks);
        _outage = new OutageLog(logger, $"Node {nodeName}");
        _results = new ResultWriter(keys, options.ResultTimeToLive, RetryAsync);
    }

    /// <summary>How many tasks this node holds now.</summary>
    public int Held => _held.Count;

    /// <summary>Takes tasks until <see cref="StopTaking"/>, then finishes, stores and acknowledges those it holds.</summary>
    public async Task RunAsync()
    {
        using var claimStop = new CancellationTokenSource();
        var claims = ClaimLoopAsync(claimStop.Token);
        try
        {
            await ReadLoopAsync().ConfigureAwait(false);
            _logger.LogInformation("Node {Node} takes no more calls; finishing the {Count} tasks it holds", _nodeName, _held.Count);
            await Task.WhenAll(_held.Values).ConfigureAwait(false);
            if (!_abandon.IsCancellationRequested) await TrimOnceAsync().ConfigureAwait(false);
        }
        finally
        {
            await claimStop.CancelAsync().ConfigureAwait(false);
            await claims.ConfigureAwait(false);
        }
    }

    /// <summary>Stops taking tasks; the ones held are finished.</summary>
    public void StopTaking() => _stopTaking.Cancel();

    /// <summary>Gives up on the tasks held: they stay unacknowledged, for other nodes to claim.</summary>
    public void Abandon()
    {
        _stopTaking.Cancel();
        _abandon.Cancel();
    }

    private async Task ReadLoopAsync()
    {
        var stop = _stopTaking.Token;
        var backoff = new RetryBackoff();
        while (!stop.IsCancellationRequested)
        {
            int slots;
            try
            {
                slots = await _credit.TakeAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            IReadOnlyList<(QueuedEntry Entry, long Deliveries)> taken = [];
            try
            {
                // Claims go first, in this loop, with the slots in hand: a blocking read must not keep them from the claim.
                if (Interlocked.Exchange(ref _claimDue, 0) == 1) taken = await ClaimIdleAsync(slots).ConfigureAwait(false);
                if (taken.Count < slots)
                {
                    var reply = await _redis.Blocking.ExecuteAsync("XREADGROUP", "GROUP", QueueKeys.Group, _nodeName,
                        "COUNT", slots - taken.Count, "BLOCK", BlockMilliseconds, "STREAMS", _keys.Calls, ">").ConfigureAwait(false);
                    taken = [.. taken, .. QueuedEntry.FromReadReply(reply).Select(entry => (entry, 1L))];
                }
                if (backoff.Failing) _logger.LogInformation("Node {Node} reads the queue {Queue} again", _nodeName, _keys.Queue);
                backoff.Reset();
            }
            catch (Exception e) when (RetryBackoff.IsTransient(e) || e is RedisServerException)
            {
                var wait = backoff.Next();
                _logger.LogWarning("Node {Node} cannot read the queue {Queue} ({Error}); trying again in {Wait} ms", _nodeName, _keys.Queue, e.Message, wait.TotalMilliseconds);
                await Task.Delay(wait, CancellationToken.None).ConfigureAwait(false);
                // The stream or group may be gone (Redis restarted without them): make them again.
                if (e.Message.StartsWith("NOGROUP", StringComparison.Ordinal)) await TryEnsureGroupAsync().ConfigureAwait(false);
            }
            _credit.Return(slots - taken.Count);
            foreach (var (entry, deliveries) in taken) Hold(entry, deliveries);
        }
    }

    /// <summary>
    /// Creates the stream and the group if missing, waiting with backoff while Redis cannot be reached (a node may start
    /// before it; said once, as every wait for Redis is).
    /// </summary>
    public Task JoinGroupAsync(CancellationToken cancellationToken) =>
        RetryAsync(_ => EnsureGroupAsync().WaitAsync(cancellationToken), cancellationToken);

    /// <summary>Creates the stream and the group if missing (reading from the stream's start, so nothing added before is skipped).</summary>
    private async Task<bool> EnsureGroupAsync()
    {
        try
        {
            await _redis.Commands.ExecuteAsync("XGROUP", "CREATE", _keys.Calls, QueueKeys.Group, "0", "MKSTREAM").ConfigureAwait(false);
            return true;
        }
        catch (RedisServerException e) when (e.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // Another node made it first.
            return false;
        }
    }

    private async Task TryEnsureGroupAsync()
    {
        try
        {
            await EnsureGroupAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (RetryBackoff.IsTransient(e))
        {
            _logger.LogWarning("Node {Node} cannot create the group of queue {Queue} yet ({Error})", _nodeName, _keys.Queue, e.Message);
        }
    }

    private void Hold(QueuedEntry entry, long deliveries)
    {
        // The task is in _held before it runs, so the claim loop refreshes it from the start; it removes only itself
        // (the same entry may be held again, claimed after a release, before this one has ended).
        var self = new TaskCompletionSource<Task>(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = HandleAsync(entry, deliveries, self.Task);
        _held[entry.Id] = run;
        self.SetResult(run);
    }

    private async Task HandleAsync(QueuedEntry entry, long deliveries, Task<Task> self)
    {
        var held = KeyValuePair.Create(entry.Id, await self.ConfigureAwait(false));
        var credited = 1;
        try
        {
            await HandleHeldAsync(entry, deliveries, () => _held.TryRemove(held), ReturnCredit).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_abandon.IsCancellationRequested)
        {
            // Abandoned: left pending, for another node to claim.
        }
        catch (PoolBrokenException e)
        {
            _logger.LogError(e, "Node {Node}: its local pool broke; it stops taking calls, the ones it holds go to other nodes", _nodeName);
            Abandon();
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Node {Node}: task {Entry} left unacknowledged for another node to claim", _nodeName, entry.Id);
        }
        finally
        {
            _held.TryRemove(held);
            ReturnCredit();
        }

        // Once per task: when its run is over, or at its end.
        void ReturnCredit()
        {
            if (Interlocked.Exchange(ref credited, 0) == 1) _credit.RunEnded();
        }
    }

    /// <param name="entry">The task as taken from the stream.</param>
    /// <param name="deliveries">How many times Redis delivered it, this time included.</param>
    /// <param name="letGo">Stops refreshing the task's idle time.</param>
    /// <param name="runOver">Returns the task's credit before its result is stored (see <see cref="StoreAsync"/>).</param>
    private async Task HandleHeldAsync(QueuedEntry entry, long deliveries, Action letGo, Action runOver)
    {
        if (entry.Frame is null)
        {
            // Deleted from the stream while pending: nothing to run and no one to answer.
            await RetryAsync(db => db.StreamAcknowledgeAsync(_keys.Calls, QueueKeys.Group, entry.Id)).ConfigureAwait(false);
            return;
        }
        CallFrame frame;
        try
        {
            if (entry.Frame.Length > _options.MaxFrameBytes)
            {
                throw new WireFormatException($"call frame of {entry.Frame.Length} bytes, over the limit of {_options.MaxFrameBytes}");
            }
            frame = CallFrame.Decode(entry.Frame);
            if (!_keys.IsReplyKey(frame.ReplyKey)) throw new WireFormatException($"reply key '{frame.ReplyKey}' is not one of queue {_keys.Queue}");
        }
        catch (WireFormatException e)
        {
            _logger.LogWarning("Node {Node}: task {Entry} is malformed ({Error}); dead-lettered", _nodeName, entry.Id, e.Message);
            await DeadLetterAsync(entry, null, $"malformed: {e.Message}", deliveries).ConfigureAwait(false);
            return;
        }
        if (deliveries > _options.MaxDeliveries)
        {
            var lastError = (string?)await RetryAsync(db => db.HashGetAsync(_keys.LastErrors, entry.Id)).ConfigureAwait(false)
                ?? "its node stopped answering (killed, or cut off from Redis) while it ran";
            _logger.LogWarning("Node {Node}: task {Entry} delivered {Deliveries} times; dead-lettered, last error: {Error}", _nodeName, entry.Id, deliveries, lastError);
            await DeadLetterAsync(entry, frame, lastError, deliveries).ConfigureAwait(false);
            return;
        }
        var run = await _executor.RunAsync(frame, _abandon.Token).ConfigureAwait(false);
        if (run.WorkerDeath is { } death)
        {
            letGo(); // no longer refreshed, so its idle time stays past the claim time
            await ReleaseAsync(entry, death).ConfigureAwait(false);
            return;
        }
        await StoreAsync(new FinishedTask(entry.Id, frame.ReplyKey, run.Result!, deliveries > 1), runOver)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// Stores a finished task's result and acknowledges it, batched with others. The credit window counts tasks waiting
    /// for or running on a worker: a finished one gives its credit back at once, so the next call is read while the
    /// result is stored, unless as many finished tasks as the window already wait for Redis (it is slow or away), so a
    /// node holds at most twice its window.
    /// </summary>
    private Task StoreAsync(FinishedTask task, Action runOver)
    {
        if (_results.Backlog < _maxHeldTasks) runOver();
        return _results.StoreAsync(task);
    }

    /// <summary>
    /// A worker died under the task: its error is kept for the dead letter, and the task is marked idle past the claim
    /// time (<c>XCLAIM ... IDLE ... JUSTID</c>, which does not count a delivery), so the next claim, here or on another
    /// node, delivers it again.
    /// </summary>
    private async Task ReleaseAsync(QueuedEntry entry, string death)
    {
        _logger.LogWarning("Node {Node}: {Death}; task {Entry} goes back to the queue", _nodeName, death, entry.Id);
        await RetryAsync(db =>
        {
            var transaction = db.CreateTransaction();
            _ = transaction.HashSetAsync(_keys.LastErrors, entry.Id, death);
            _ = transaction.KeyExpireAsync(_keys.LastErrors, _options.ResultTimeToLive);
            _ = transaction.ExecuteAsync("XCLAIM", _keys.Calls, QueueKeys.Group, _nodeName, 0, entry.Id,
                "IDLE", (long)_options.ClaimIdleTime.TotalMilliseconds, "JUSTID");
            return transaction.ExecuteAsync();
        }).ConfigureAwait(false);
    }

    /// <summary>Moves a task to the dead-letter stream, answers its caller (if it can be read) and acknowledges it, in one transaction.</summary>
    private Task<bool> DeadLetterAsync(QueuedEntry entry, CallFrame? frame, string lastError, long deliveries)
    {
        var message = $"delivered {deliveries} times (at most {_options.MaxDeliveries}); dead-lettered as {entry.Id} in {_keys.DeadLetters}; last error: {lastError}";
        var answer = frame is null ? null : ResultFrame.EncodeAllFailed(frame.TaskId, _nodeName, frame.Calls.Count,
            new CallError(OutcomeKind.DeadLettered, typeof(CallDeadLetteredException).FullName!, message, ""));
        return RetryAsync(db =>
        {
            var transaction = db.CreateTransaction();
            _ = transaction.StreamAddAsync(_keys.DeadLetters,
                [new NameValueEntry(QueuedEntry.FrameField, entry.Frame), new NameValueEntry("entry", entry.Id), new NameValueEntry("error", message)],
                maxLength: _options.DeadLetterMaxLength, useApproximateMaxLength: true);
            if (frame is not null && answer is not null)
            {
                _ = transaction.StreamAddAsync(frame.ReplyKey, QueuedEntry.FrameField, answer);
                _ = transaction.KeyExpireAsync(frame.ReplyKey, _options.ResultTimeToLive);
            }
            _ = transaction.StreamAcknowledgeAsync(_keys.Calls, QueueKeys.Group, entry.Id);
            _ = transaction.HashDeleteAsync(_keys.LastErrors, entry.Id);
            return transaction.ExecuteAsync();
        });
    }

    private async Task ClaimLoopAsync(CancellationToken stop)
    {
        // Often enough that a held task never looks idle for long, and a dead node's tasks move soon after the claim time.
        var period = TimeSpan.FromTicks(Math.Clamp(_options.ClaimIdleTime.Ticks / 4, TimeSpan.FromMilliseconds(50).Ticks, TimeSpan.FromSeconds(5).Ticks));
        using var timer = new PeriodicTimer(period);
        var backoff = new RetryBackoff();
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                try
                {
                    await RefreshHeldAsync().ConfigureAwait(false);
                    Interlocked.Exchange(ref _claimDue, 1);
                    await TrimAsync().ConfigureAwait(false);
                    backoff.Reset();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _logger.LogWarning(e, "Node {Node}: claiming on queue {Queue} failed ({Error}); trying again", _nodeName, _keys.Queue, e.Message);
                    await Task.Delay(backoff.Next(), stop).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>Claims the held tasks again with <c>JUSTID</c>: their idle time restarts and no delivery is counted.</summary>
    private async Task RefreshHeldAsync()
    {
        var ids = _held.Keys.Select(id => (RedisValue)id).ToArray();
        if (ids.Length > 0) await _redis.Commands.StreamClaimIdsOnlyAsync(_keys.Calls, QueueKeys.Group, _nodeName, 0, ids).ConfigureAwait(false);
    }

    /// <summary>
    /// Claims up to <paramref name="slots"/> tasks idle past the claim time, each with its delivery count; one this node
    /// still runs is left to its run.
    /// </summary>
    private async Task<IReadOnlyList<(QueuedEntry Entry, long Deliveries)>> ClaimIdleAsync(int slots)
    {
        var claimed = await _redis.Commands.StreamAutoClaimAsync(_keys.Calls, QueueKeys.Group, _nodeName,
            (long)_options.ClaimIdleTime.TotalMilliseconds, _claimCursor, slots).ConfigureAwait(false);
        // The pending list not scanned to its end (a dead node held more than there was room for, or a long list): the
        // next read goes on from there, not a claim period later.
        _claimCursor = claimed.NextStartId;
        if (_claimCursor != "0-0") Interlocked.Exchange(ref _claimDue, 1);
        var taken = new List<(QueuedEntry, long)>(claimed.ClaimedEntries.Length);
        foreach (var claim in claimed.ClaimedEntries)
        {
            var entry = QueuedEntry.FromClaimed(claim);
            if (_held.ContainsKey(entry.Id))
            {
                // Still running here: its refresh came later than the claim time (a stalled process, a loaded machine).
                // Run again, it would run twice on one node, and its inflated delivery count could dead-letter it.
                _logger.LogInformation("Node {Node} took back task {Entry} it still runs (refreshed late); not run again", _nodeName, entry.Id);
                continue;
            }
            var pending = await _redis.Commands.StreamPendingMessagesAsync(_keys.Calls, QueueKeys.Group, 1, _nodeName, entry.Id, entry.Id).ConfigureAwait(false);
            var deliveries = pending.Length == 1 ? pending[0].DeliveryCount : _options.MaxDeliveries + 1;
            _logger.LogInformation("Node {Node} claimed task {Entry} (delivery {Deliveries}), idle past {Idle}", _nodeName, entry.Id, deliveries, _options.ClaimIdleTime);
            taken.Add((entry, deliveries));
        }
        return taken;
    }

    /// <summary>
    /// Trims the calls stream below the oldest entry not yet acknowledged (or, with none pending, up to the group's
    /// last delivered entry). Never by length: that could drop calls not yet delivered.
    /// </summary>
    private async Task TrimAsync()
    {
        var pending = await _redis.Commands.StreamPendingAsync(_keys.Calls, QueueKeys.Group).ConfigureAwait(false);
        string minimum;
        if (pending.PendingMessageCount > 0)
        {
            minimum = pending.LowestPendingMessageId!;
        }
        else
        {
            var groups = await _redis.Commands.StreamGroupInfoAsync(_keys.Calls).ConfigureAwait(false);
            var lastDelivered = groups.FirstOrDefault(g => g.Name == QueueKeys.Group).LastDeliveredId;
            if (string.IsNullOrEmpty(lastDelivered)) return;
            minimum = NextId(lastDelivered);
        }
        await _redis.Commands.ExecuteAsync("XTRIM", _keys.Calls, "MINID", minimum).ConfigureAwait(false);
    }

    /// <summary>The last trim of a stopping node: tried once, since any node's next trim does it as well, and a node must not wait for an unreachable Redis for it.</summary>
    private async Task TrimOnceAsync()
    {
        try
        {
            await TrimAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (RetryBackoff.IsTransient(e))
        {
            _logger.LogWarning("Node {Node}: the calls stream of queue {Queue} was not trimmed ({Error}); the next node's trim does it", _nodeName, _keys.Queue, e.Message);
        }
    }

    private static string NextId(string id)
    {
        var dash = id.IndexOf('-', StringComparison.Ordinal);
        var sequence = ulong.Parse(id.AsSpan(dash + 1), CultureInfo.InvariantCulture);
        return $"{id[..dash]}-{sequence + 1}";
    }

    /// <summary>Runs a command against Redis until it succeeds, waiting with backoff while Redis is unreachable; given up only when the node abandons its tasks.</summary>
    private Task<T> RetryAsync<T>(Func<IDatabase, Task<T>> command) => RetryAsync(command, _abandon.Token);

    /// <summary>Runs a command against Redis until it succeeds, waiting with backoff (said once) while Redis is unreachable, until <paramref name="cancellationToken"/>.</summary>
    private async Task<T> RetryAsync<T>(Func<IDatabase, Task<T>> command, CancellationToken cancellationToken)
    {
        var backoff = new RetryBackoff();
        while (true)
        {
            try
            {
                var result = await command(_redis.Commands).ConfigureAwait(false);
                _outage.Succeeded();
                return result;
            }
            catch (Exception e) when (RetryBackoff.IsTransient(e))
            {
                _outage.Failed(e);
                await Task.Delay(backoff.Next(), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stopTaking.Dispose();
        _abandon.Dispose();
    }
}
