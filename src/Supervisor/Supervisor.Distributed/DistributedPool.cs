using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Supervisor.Distributed.Client;
using Supervisor.Distributed.Redis;
using Supervisor.Distributed.Wire;
using Supervisor.Dispatch;
using Supervisor.Encoding;
using Supervisor.Protocol.Serialization;

namespace Supervisor.Distributed;

/// <summary>
/// The pool's surface over a Redis queue served by <see cref="DistributedNode"/>s on any number of machines. Each
/// call is checked and serialized here, added to the queue's stream, run at least once by some node, and its result
/// delivered to its caller exactly once. Functions are named by assembly, version and method: nodes must serve the
/// caller's build of the assembly.
/// </summary>
public sealed class DistributedPool : IWorkerPool
{
    private const int MaxDefaultChunk = 1000;
    private readonly RedisLink _redis;
    private readonly QueueKeys _keys;
    private readonly DistributedPoolOptions _options;
    private readonly OutageLog _outage;
    private readonly ReplyListener _replies;
    private readonly string _replyKey;
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _listening;
    private readonly FunctionRegistry _functions = new();
    private readonly ConcurrentDictionary<MethodInfo, FunctionName> _names = new();

    private DistributedPool(RedisLink redis, QueueKeys keys, DistributedPoolOptions options)
    {
        _redis = redis;
        _keys = keys;
        _options = options;
        var logger = options.Logger ?? NullLogger.Instance;
        _outage = new OutageLog(logger, $"Client of queue {keys.Queue}");
        _replyKey = keys.ReplyKey(Guid.NewGuid().ToString("N"));
        _replies = new ReplyListener(redis, _replyKey, options.MaxFrameBytes, _outage, logger);
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
    /// <inheritdoc cref="SubmitAsync{TResult}(Function, Arguments, CancellationToken)" path="/exception"/>
    public Task<TResult> SubmitAsync<T, TResult>(Func<T, TResult> function, T argument, CancellationToken cancellationToken = default) =>
        SubmitAsync<TResult>(_functions.FromDelegate(function), Arguments.Of([argument]), cancellationToken);

    /// <summary>
    /// Runs one call of a function that takes a <see cref="CancellationToken"/>: the node's worker fills it (it fires if
    /// the node's own pool cancels the call). <paramref name="cancellationToken"/> stops the wait here, not the call.
    /// </summary>
    public Task<TResult> SubmitAsync<T, TResult>(Func<T, CancellationToken, TResult> function, T argument, CancellationToken cancellationToken) =>
        SubmitAsync<TResult>(_functions.FromDelegate(function), Arguments.Of([argument]), cancellationToken);

    /// <summary>Runs an asynchronous <c>function(argument)</c> on some node; the node awaits it.</summary>
    public Task<TResult> SubmitAsync<T, TResult>(Func<T, Task<TResult>> function, T argument, CancellationToken cancellationToken = default) =>
        SubmitAsync<TResult>(_functions.FromDelegate(function), Arguments.Of([argument]), cancellationToken);

    /// <summary>Runs <c>function(first, second)</c> on some node.</summary>
    public Task<TResult> SubmitAsync<T1, T2, TResult>(Func<T1, T2, TResult> function, T1 first, T2 second, CancellationToken cancellationToken = default) =>
        SubmitAsync<TResult>(_functions.FromDelegate(function), Arguments.Of(first, second), cancellationToken);

    /// <summary>
    /// Runs <paramref name="function"/> with <paramref name="arguments"/> on some node. Cancelling stops the wait, not
    /// the call: a node that took it runs it, and its result is dropped.
    /// </summary>
    /// <exception cref="UnserializableValueException">An argument cannot cross (thrown here, before anything is sent).</exception>
    /// <exception cref="ArgumentException">The arguments do not bind to the function's parameters (nothing is sent).</exception>
    /// <exception cref="RemoteTaskException">The function threw in a node's worker (or timed out there).</exception>
    /// <exception cref="FunctionUnavailableException">The node lacks the assembly, has another version, or no such method.</exception>
    /// <exception cref="CallDeadLetteredException">The call was delivered too many times.</exception>
    public async Task<TResult> SubmitAsync<TResult>(Function function, Arguments arguments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentBinding.Validate(function, arguments);
        var frame = await SendAsync(function, [arguments], cancellationToken).ConfigureAwait(false);
        var outcome = OutcomeReader.Read<TResult>(frame, 0, 1)[0];
        return outcome.Error is null ? outcome.Value! : throw outcome.Error;
    }

    /// <summary>Runs <paramref name="function"/> with <paramref name="arguments"/> on some node; the result type is the function's.</summary>
    /// <inheritdoc cref="SubmitAsync{TResult}(Function, Arguments, CancellationToken)" path="/exception"/>
    public Task<TResult> SubmitAsync<TResult>(Function<TResult> function, Arguments arguments, CancellationToken cancellationToken = default) =>
        SubmitAsync<TResult>((Function)function, arguments, cancellationToken);

    /// <summary>
    /// Runs <paramref name="function"/> over <paramref name="items"/>, the results in input order (Python's
    /// <c>map</c>). The items are sent in chunks, one stream entry each, all at once (as the local pool queues a map's
    /// chunks): <paramref name="chunkSize"/>, or by default ceil(n / 32) and at most 1,000. The first failed call's
    /// exception is thrown once every chunk has answered.
    /// </summary>
    public Task<TResult[]> MapAsync<T, TResult>(Func<T, TResult> function, IEnumerable<T> items, int chunkSize = 0, CancellationToken cancellationToken = default) =>
        MapCore<T, TResult>(_functions.FromDelegate(function), items, chunkSize, cancellationToken);

    /// <summary>As <see cref="MapAsync{T, TResult}(Func{T, TResult}, IEnumerable{T}, int, CancellationToken)"/>, each item the argument of the one parameter the function's fixed arguments leave.</summary>
    /// <exception cref="ArgumentException">The function does not leave exactly one parameter for the item.</exception>
    public Task<TResult[]> MapAsync<T, TResult>(Function<TResult> function, IEnumerable<T> items, int chunkSize = 0, CancellationToken cancellationToken = default) =>
        MapCore<T, TResult>(ItemFunction(function), items, chunkSize, cancellationToken);

    /// <summary>Results in input order as they come (Python's <c>imap</c>), feeding the input as results return; a failed call throws when its turn comes.</summary>
    public IAsyncEnumerable<TResult> Imap<T, TResult>(Func<T, TResult> function, IEnumerable<T> items, int chunkSize = 1, CancellationToken cancellationToken = default) =>
        StreamValues<T, TResult>(_functions.FromDelegate(function), items, ordered: true, chunkSize, cancellationToken);

    /// <summary>As <see cref="Imap{T, TResult}(Func{T, TResult}, IEnumerable{T}, int, CancellationToken)"/>, for a function that leaves one parameter for the item.</summary>
    /// <exception cref="ArgumentException">The function does not leave exactly one parameter for the item.</exception>
    public IAsyncEnumerable<TResult> Imap<T, TResult>(Function<TResult> function, IEnumerable<T> items, int chunkSize = 1, CancellationToken cancellationToken = default) =>
        StreamValues<T, TResult>(ItemFunction(function), items, ordered: true, chunkSize, cancellationToken);

    /// <summary>Results in completion order (Python's <c>imap_unordered</c>); a failed call throws when it completes.</summary>
    public IAsyncEnumerable<TResult> ImapUnordered<T, TResult>(Func<T, TResult> function, IEnumerable<T> items, int chunkSize = 1, CancellationToken cancellationToken = default) =>
        StreamValues<T, TResult>(_functions.FromDelegate(function), items, ordered: false, chunkSize, cancellationToken);

    /// <summary>As <see cref="ImapUnordered{T, TResult}(Func{T, TResult}, IEnumerable{T}, int, CancellationToken)"/>, for a function that leaves one parameter for the item.</summary>
    /// <exception cref="ArgumentException">The function does not leave exactly one parameter for the item.</exception>
    public IAsyncEnumerable<TResult> ImapUnordered<T, TResult>(Function<TResult> function, IEnumerable<T> items, int chunkSize = 1, CancellationToken cancellationToken = default) =>
        StreamValues<T, TResult>(ItemFunction(function), items, ordered: false, chunkSize, cancellationToken);

    /// <summary>
    /// Every call's outcome, value or error, with its input index: in input order, or as they complete. At most
    /// <see cref="DistributedPoolOptions.MaxCallsInFlight"/> calls are out at once; the input is read as results return.
    /// A call whose arguments do not bind or cannot cross yields a failed outcome, sent nowhere; the others go on.
    /// </summary>
    public IAsyncEnumerable<TaskOutcome<TResult>> ImapOutcomes<TResult>(Function function, IAsyncEnumerable<Arguments> calls, bool ordered = true,
        int chunkSize = 1, CancellationToken cancellationToken = default) =>
        ImapOutcomes<TResult>(function, calls, ordered, chunkSize, CancellationToken.None, cancellationToken);

    /// <summary>
    /// As <see cref="ImapOutcomes{TResult}(Function, IAsyncEnumerable{Arguments}, bool, int, CancellationToken)"/>, with a
    /// graceful stop: once <paramref name="stopDispatching"/> fires, no more calls are taken from <paramref name="calls"/>;
    /// those sent already run on their nodes and yield their outcomes. (Every call taken is sent at once, so none is
    /// left waiting to be withdrawn.)
    /// </summary>
    public IAsyncEnumerable<TaskOutcome<TResult>> ImapOutcomes<TResult>(Function function, IAsyncEnumerable<Arguments> calls, bool ordered,
        int chunkSize, CancellationToken stopDispatching, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(calls);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        return StreamCore<TResult>(function, calls, ordered, chunkSize, checkEachBinding: true, stopDispatching, cancellationToken);
    }

    /// <summary>
    /// Streams the calls in chunks, at most <see cref="DistributedPoolOptions.MaxCallsInFlight"/> out at once.
    /// <paramref name="checkEachBinding"/> is false where every call has the one argument the function was checked for.
    /// </summary>
    private async IAsyncEnumerable<TaskOutcome<TResult>> StreamCore<TResult>(Function function, IAsyncEnumerable<Arguments> calls, bool ordered,
        int chunkSize, bool checkEachBinding, CancellationToken stopDispatching, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var window = Math.Max(1, _options.MaxCallsInFlight / chunkSize);
        // Each chunk sent becomes a task of its outcomes; ordered, they are awaited in turn, else as they complete (via the channel).
        var inOrder = new Queue<Task<TaskOutcome<TResult>[]>>();
        var completed = Channel.CreateUnbounded<Task<TaskOutcome<TResult>[]>>();
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
                Task<TaskOutcome<TResult>[]>? refused = null;
                while (chunk.Count < chunkSize && refused is null && (more = !stopDispatching.IsCancellationRequested && await source.MoveNextAsync().ConfigureAwait(false)))
                {
                    // A call that does not bind is answered here, in its place, and ends the chunk before it.
                    try
                    {
                        if (checkEachBinding) ArgumentBinding.Validate(function, source.Current);
                        chunk.Add(source.Current);
                    }
                    catch (ArgumentException e)
                    {
                        refused = Task.FromResult<TaskOutcome<TResult>[]>([new TaskOutcome<TResult>(next + chunk.Count, default, e)]);
                    }
                }
                if (chunk.Count > 0) Dispatch(SendChunkAsync<TResult>(function, [.. chunk], next, cancellationToken), chunk.Count);
                if (refused is not null) Dispatch(refused, 1);
                if (chunk.Count == 0 && refused is null) break;
            }
            if (outstanding == 0) break;
            var done = ordered ? inOrder.Dequeue() : await completed.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            outstanding--;
            foreach (var outcome in await done.ConfigureAwait(false)) yield return outcome;
        }

        void Dispatch(Task<TaskOutcome<TResult>[]> sent, int count)
        {
            next += count;
            outstanding++;
            if (ordered) inOrder.Enqueue(sent);
            else _ = sent.ContinueWith(done => completed.Writer.TryWrite(done), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>Sends one task; Redis unreachable, it retries with backoff (a task added twice runs twice, its result still delivered once).</summary>
    internal Task<ResultFrame> SendAsync(Function function, IReadOnlyList<Arguments> calls, CancellationToken cancellationToken) =>
        SendFrameAsync(Encoder(function, calls), cancellationToken);

    /// <summary>Writes the frame of a task of <paramref name="calls"/> for its id and reply key.</summary>
    private Func<string, string, byte[]> Encoder(Function function, IReadOnlyList<Arguments> calls)
    {
        var name = _names.GetOrAdd(function.Method, FunctionName.Of);
        return (taskId, replyKey) => CallFrame.Encode(taskId, replyKey, name, function, calls, Checker, _options.MaxFrameBytes);
    }

    /// <summary>The check every value passes before it leaves: the local pool's, over this mode's serializer options.</summary>
    internal SerializabilityChecker Checker { get; } = new(DistributedSerializer.Options);

    /// <summary>Sends a task whose frame <paramref name="encode"/> writes for its id and reply key (tests name a function differently through it).</summary>
    internal async Task<ResultFrame> SendFrameAsync(Func<string, string, byte[]> encode, CancellationToken cancellationToken)
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
                _outage.Succeeded();
                break;
            }
            catch (OperationCanceledException)
            {
                _replies.Forget(taskId, cancellationToken);
                throw;
            }
            catch (Exception e) when (RetryBackoff.IsTransient(e))
            {
                _outage.Failed(e);
                await Task.Delay(backoff.Next(), cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// Sends one chunk of calls numbered from <paramref name="first"/> and reads its outcomes; a chunk whose arguments
    /// cannot cross fails each of its calls with that error, and nothing of it is sent.
    /// </summary>
    private Task<TaskOutcome<TResult>[]> SendChunkAsync<TResult>(Function function, Arguments[] calls, int first, CancellationToken cancellationToken) =>
        SendChunkAsync<TResult>(Encoder(function, calls), first, calls.Length, cancellationToken);

    /// <summary>Sends one chunk of <paramref name="count"/> calls, its frame written by <paramref name="encode"/>, as <see cref="SendChunkAsync{TResult}(Function, Arguments[], int, CancellationToken)"/>.</summary>
    private async Task<TaskOutcome<TResult>[]> SendChunkAsync<TResult>(Func<string, string, byte[]> encode, int first, int count, CancellationToken cancellationToken)
    {
        ResultFrame frame;
        try
        {
            frame = await SendFrameAsync(encode, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            return [.. Enumerable.Range(first, count).Select(index => new TaskOutcome<TResult>(index, default, e))];
        }
        return OutcomeReader.Read<TResult>(frame, first, count);
    }

    // Every chunk is sent at once, as the local pool's map queues all of its chunks: the input is in memory already, and
    // nodes work on the first chunks while the next are encoded and the caller reads the results of the first.
    private async Task<TResult[]> MapCore<T, TResult>(Function function, IEnumerable<T> items, int chunkSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentOutOfRangeException.ThrowIfNegative(chunkSize);
        var list = items as IReadOnlyList<T> ?? [.. items];
        var chunk = chunkSize > 0 ? chunkSize : Math.Clamp((list.Count + 31) / 32, 1, MaxDefaultChunk);
        var name = _names.GetOrAdd(function.Method, FunctionName.Of);
        // Values of a value type or a sealed one are all of that type: written by its formatter, looked up once. Others
        // are written by their runtime types, as any call's arguments.
        var values = typeof(T).IsValueType || typeof(T).IsSealed ? Checker.WriterFor<T>() : null;
        var sent = new List<Task<TaskOutcome<TResult>[]>>((list.Count / chunk) + 1);
        for (var start = 0; start < list.Count; start += chunk)
        {
            var (from, to) = (start, Math.Min(start + chunk, list.Count));
            sent.Add(values is null
                ? SendChunkAsync<TResult>(function, [.. Enumerable.Range(from, to - from).Select(i => Arguments.Of([list[i]]))], from, cancellationToken)
                : SendChunkAsync<TResult>((taskId, replyKey) =>
                    CallFrame.EncodeItems(taskId, replyKey, name, function, list, from, to, Checker, values, _options.MaxFrameBytes), from, to - from, cancellationToken));
        }
        // All awaited together: a cancelled or disposed map leaves no chunk's task unobserved.
        return Collect(await Task.WhenAll(sent).ConfigureAwait(false), list.Count);
    }

    /// <summary>A map's values in input order; the first failed call's exception if any failed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static TResult[] Collect<TResult>(TaskOutcome<TResult>[][] answered, int count)
    {
        var results = new TResult[count];
        Exception? firstError = null;
        foreach (var chunkAnswered in answered)
        {
            foreach (var outcome in chunkAnswered)
            {
                if (outcome.Error is not null) firstError ??= outcome.Error;
                else results[outcome.Index] = outcome.Value!;
            }
        }
        return firstError is null ? results : throw firstError;
    }

    private async IAsyncEnumerable<TResult> StreamValues<T, TResult>(Function function, IEnumerable<T> items, bool ordered, int chunkSize,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        await foreach (var outcome in StreamCore<TResult>(function, CallsOf(items), ordered, chunkSize, checkEachBinding: false, CancellationToken.None, cancellationToken).ConfigureAwait(false))
        {
            if (outcome.Error is not null) ExceptionDispatchInfo.Throw(outcome.Error);
            yield return outcome.Value!;
        }
    }

    /// <summary>A function whose calls take items: its binding is checked once, for one argument, not per item.</summary>
    private static Function ItemFunction(Function function)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentBinding.Validate(function, Arguments.Of((object?)null));
        return function;
    }

    private static IAsyncEnumerable<Arguments> CallsOf<T>(IEnumerable<T> items) =>
        items.Select(item => Arguments.Of([item])).ToAsyncEnumerable();
}
