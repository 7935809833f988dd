using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Supervisor.Distributed.Client;
using Supervisor.Distributed.Redis;
using Supervisor.Distributed.Wire;

namespace Supervisor.Distributed;

/// <summary>
/// The pool's surface over a Redis queue served by <see cref="DistributedNode"/>s on any number of machines. Each
/// call is checked and serialized here, added to the queue's stream, run at least once by some node, and its result
/// delivered to its caller exactly once. Functions are named by assembly, version and method: nodes must serve the
/// caller's build of the assembly.
/// </summary>
public sealed class DistributedPool : IAsyncDisposable
{
    private const int MaxDefaultChunk = 1000;
    private readonly RedisLink _redis;
    private readonly QueueKeys _keys;
    private readonly DistributedPoolOptions _options;
    private readonly ILogger _logger;
    private readonly ReplyListener _replies;
    private readonly string _replyKey;
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _listening;

    private DistributedPool(RedisLink redis, QueueKeys keys, DistributedPoolOptions options)
    {
        _redis = redis;
        _keys = keys;
        _options = options;
        _logger = options.Logger ?? NullLogger.Instance;
        _replyKey = keys.ReplyKey(Guid.NewGuid().ToString("N"));
        _replies = new ReplyListener(redis, _replyKey, options.MaxFrameBytes, _logger);
        _listening = _replies.RunAsync(_closing.Token);
    }

    /// <summary>
    /// Connects to the queue <paramref name="queue"/> on <paramref name="redis"/> (StackExchange.Redis syntax:
    /// <c>localhost:6379</c>). Redis need not be up yet: calls wait, retrying with backoff, until it is.
    /// </summary>
    /// <exception cref="ArgumentException">The queue name or an option is wrong.</exception>
    public static async Task<DistributedPool> ConnectAsync(string redis, string queue, DistributedPoolOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new DistributedPoolOptions();
        if (options.MaxCallsInFlight < 1) throw new ArgumentException($"DistributedPoolOptions.MaxCallsInFlight is {options.MaxCallsInFlight}: it must be at least 1.", nameof(options));
        var keys = new QueueKeys(queue);
        var link = await RedisLink.ConnectAsync(redis, $"supervisor-client-{Environment.ProcessId}", options.Logger ?? NullLogger.Instance)
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        return new DistributedPool(link, keys, options);
    }

    /// <summary>Runs <c>function(argument)</c> on some node (Python's <c>apply_async</c>).</summary>
    public Task<TResult> SubmitAsync<T, TResult>(Func<T, TResult> function, T argument, CancellationToken cancellationToken = default) =>
        SubmitAsync<TResult>(Function.FromDelegate(function), Arguments.Of([argument]), cancellationToken);

    /// <summary>Runs an asynchronous <c>function(argument)</c> on some node; the node awaits it.</summary>
    public Task<TResult> SubmitAsync<T, TResult>(Func<T, Task<TResult>> function, T argument, CancellationToken cancellationToken = default) =>
        SubmitAsync<TResult>(Function.FromDelegate(function), Arguments.Of([argument]), cancellationToken);

    /// <summary>Runs <c>function(first, second)</c> on some node.</summary>
    public Task<TResult> SubmitAsync<T1, T2, TResult>(Func<T1, T2, TResult> function, T1 first, T2 second, CancellationToken cancellationToken = default) =>
        SubmitAsync<TResult>(Function.FromDelegate(function), Arguments.Of(first, second), cancellationToken);

    /// <summary>
    /// Runs <paramref name="function"/> with <paramref name="arguments"/> on some node. Cancelling stops the wait, not
    /// the call: a node that took it runs it, and its result is dropped.
    /// </summary>
    /// <exception cref="ArgumentException">An argument cannot be serialized (thrown here, before anything is sent).</exception>
    /// <exception cref="RemoteCallException">The function threw on the node.</exception>
    /// <exception cref="FunctionUnavailableException">The node lacks the assembly, has another version, or no such method.</exception>
    /// <exception cref="CallDeadLetteredException">The call was delivered too many times.</exception>
    public async Task<TResult> SubmitAsync<TResult>(Function function, Arguments arguments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(arguments);
        var outcomes = await SendAsync(function, [arguments], cancellationToken).ConfigureAwait(false);
        var outcome = OutcomeReader.Read<TResult>(outcomes, 0, 1).Single();
        return outcome.Error is null ? outcome.Value! : throw outcome.Error;
    }

    /// <summary>
    /// Runs <paramref name="function"/> over <paramref name="items"/>, the results in input order (Python's
    /// <c>map</c>). The items are sent in chunks, one stream entry each: <paramref name="chunkSize"/>, or by default
    /// ceil(n / 32) and at most 1,000. The first failed call's exception is thrown once every chunk has answered.
    /// </summary>
    public async Task<TResult[]> MapAsync<T, TResult>(Func<T, TResult> function, IEnumerable<T> items, int chunkSize = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        var list = items as IReadOnlyList<T> ?? [.. items];
        var chunk = chunkSize > 0 ? chunkSize : Math.Clamp((list.Count + 31) / 32, 1, MaxDefaultChunk);
        var results = new TResult[list.Count];
        Exception? first = null;
        await foreach (var outcome in ImapOutcomes<TResult>(Function.FromDelegate(function), CallsOf(list), ordered: true, chunk, cancellationToken).ConfigureAwait(false))
        {
            if (outcome.Error is not null) first ??= outcome.Error;
            else results[outcome.Index] = outcome.Value!;
        }
        return first is null ? results : throw first;
    }

    /// <summary>Results in input order as they come (Python's <c>imap</c>), feeding the input as results return; a failed call throws when its turn comes.</summary>
    public async IAsyncEnumerable<TResult> Imap<T, TResult>(Func<T, TResult> function, IEnumerable<T> items, int chunkSize = 1,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var outcome in ImapOutcomes<TResult>(Function.FromDelegate(function), CallsOf(items), ordered: true, chunkSize, cancellationToken).ConfigureAwait(false))
        {
            yield return outcome.Error is null ? outcome.Value! : throw outcome.Error;
        }
    }

    /// <summary>Results in completion order (Python's <c>imap_unordered</c>); a failed call throws when it completes.</summary>
    public async IAsyncEnumerable<TResult> ImapUnordered<T, TResult>(Func<T, TResult> function, IEnumerable<T> items, int chunkSize = 1,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var outcome in ImapOutcomes<TResult>(Function.FromDelegate(function), CallsOf(items), ordered: false, chunkSize, cancellationToken).ConfigureAwait(false))
        {
            yield return outcome.Error is null ? outcome.Value! : throw outcome.Error;
        }
    }

    /// <summary>
    /// Every call's outcome, value or error, with its input index: in input order, or as they complete. At most
    /// <see cref="DistributedPoolOptions.MaxCallsInFlight"/> calls are out at once; the input is read as results return.
    /// </summary>
    public async IAsyncEnumerable<TaskOutcome<TResult>> ImapOutcomes<TResult>(Function function, IAsyncEnumerable<Arguments> calls, bool ordered = true,
        int chunkSize = 1, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(calls);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        var window = Math.Max(1, _options.MaxCallsInFlight / chunkSize);
        // Each chunk sent becomes a task here; ordered, they are awaited in turn, else as they complete (via the channel).
        var inOrder = new Queue<(int First, int Count, Task<IReadOnlyList<CallOutcome>> Outcomes)>();
        var completed = Channel.CreateUnbounded<(int First, int Count, Task<IReadOnlyList<CallOutcome>> Outcomes)>();
        var outstanding = 0;
        var next = 0;
        var chunk = new List<Arguments>(chunkSize);
        await using var source = calls.GetAsyncEnumerator(cancellationToken);
        var more = true;
        while (more || outstanding > 0)
        {
            while (more && outstanding < window)
            {
                chunk.Clear();
                while (chunk.Count < chunkSize && (more = await source.MoveNextAsync().ConfigureAwait(false))) chunk.Add(source.Current);
                if (chunk.Count == 0) break;
                var sent = (next, chunk.Count, SendAsync(function, [.. chunk], cancellationToken));
                next += chunk.Count;
                outstanding++;
                if (ordered) inOrder.Enqueue(sent);
                else _ = sent.Item3.ContinueWith(_ => completed.Writer.TryWrite(sent), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
            if (outstanding == 0) break;
            var done = ordered ? inOrder.Dequeue() : await completed.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            outstanding--;
            var outcomes = await done.Outcomes.ConfigureAwait(false);
            foreach (var outcome in OutcomeReader.Read<TResult>(outcomes, done.First, done.Count)) yield return outcome;
        }
    }

    /// <summary>Sends one task; Redis unreachable, it retries with backoff (a task added twice runs twice, its result still delivered once).</summary>
    internal Task<IReadOnlyList<CallOutcome>> SendAsync(Function function, IReadOnlyList<Arguments> calls, CancellationToken cancellationToken) =>
        SendFrameAsync((taskId, replyKey) => CallFrame.Encode(taskId, replyKey, function, calls, _options.MaxFrameBytes), cancellationToken);

    /// <summary>Sends a task whose frame <paramref name="encode"/> writes for its id and reply key (tests name a function differently through it).</summary>
    internal async Task<IReadOnlyList<CallOutcome>> SendFrameAsync(Func<string, string, byte[]> encode, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_closing.IsCancellationRequested, this);
        var taskId = Guid.NewGuid().ToString("N");
        var frame = encode(taskId, _replyKey);
        var answer = _replies.Expect(taskId);
        var backoff = new RetryBackoff();
        while (true)
        {
            try
            {
                await _redis.Commands.StreamAddAsync(_keys.Calls, QueuedEntry.FrameField, frame).WaitAsync(cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (OperationCanceledException)
            {
                _replies.Forget(taskId, cancellationToken);
                throw;
            }
            catch (Exception e) when (RetryBackoff.IsTransient(e))
            {
                var wait = backoff.Next();
                _logger.LogWarning("Client cannot add to queue {Queue} ({Error}); trying again in {Wait} ms", _keys.Queue, e.Message, wait.TotalMilliseconds);
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }
        }
        using var registration = cancellationToken.Register(() => _replies.Forget(taskId, cancellationToken));
        return await answer.ConfigureAwait(false);
    }

    /// <summary>Stops reading results (calls still waiting fail with <see cref="ObjectDisposedException"/>) and closes the connections.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_closing.IsCancellationRequested) return;
        await _closing.CancelAsync().ConfigureAwait(false);
        await _listening.ConfigureAwait(false);
        await _redis.DisposeAsync().ConfigureAwait(false);
        _closing.Dispose();
    }

    private static IAsyncEnumerable<Arguments> CallsOf<T>(IEnumerable<T> items) =>
        items.Select(item => Arguments.Of([item])).ToAsyncEnumerable();
}
