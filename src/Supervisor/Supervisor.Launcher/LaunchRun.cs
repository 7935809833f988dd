using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Supervisor.Distributed;

namespace Supervisor.Launcher;

/// <summary>
/// One run of the launcher: checks the command line against the files, starts the pool, streams the input's
/// calls through it and their results to the output as they arrive, and decides the exit code. Every input line
/// ends up accounted for: a row in the output, or (after a stop) named on stderr as not run.
/// </summary>
internal sealed class LaunchRun
{
    // Counting the calls up front reads the input twice; past this size the total is left unknown.
    private const long CountableInputBytes = 64L * 1024 * 1024;

    private readonly LauncherSettings _settings;
    private readonly TextWriter _error;

    // The input line behind each call in flight, by call index (the pool numbers calls, not lines).
    // Written by the pool's feeder as it takes each line, read as outcomes are written: two threads.
    private readonly ConcurrentDictionary<int, InputLine> _inFlight = new();

    // A malformed line stands in the stream as a call that cannot bind, which the pool fails at once without
    // sending it: so it keeps its place in input order and counts against the bound on calls in flight.
    private readonly Arguments _unbindable = Arguments.FromNamed(new Dictionary<string, object?> { ["<malformed line>"] = null });

    // Lines a stop left undone, by number; said on stderr, never written, so that --resume runs them.
    private readonly List<long> _notRun = [];

    private (InputLine Line, CallFailure Failure)? _firstFailure;

    // Set once the pool broke (a crash loop); the calls it failed never ran, and have NotRun rows.
    private PoolBrokenException? _broken;
    private long _notRunRows;

    /// <summary>Prepares a run of <paramref name="settings"/>; messages go to <paramref name="error"/>.</summary>
    public LaunchRun(LauncherSettings settings, TextWriter error)
    {
        _settings = settings;
        _error = error;
    }

    /// <summary>Runs to the end of the input, or until a signal, and returns the exit code.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        using var loader = new FunctionLoader();
        LaunchPlan plan;
        IndexSet done;
        Stream input;
        long? total;
        try
        {
            plan = LaunchPlan.Create(_settings, loader);
            done = _settings.Resume ? ResumedOutput.Prepare(_settings.OutputPath) : new IndexSet();
            input = InputReader.Open(_settings);
            total = await InputReader.CountCallsAsync(input, CountableInputBytes, done, cancellationToken);
        }
        catch (LaunchConfigurationException e)
        {
            return Fail(ExitCodes.Usage, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(ExitCodes.Usage, $"--input {_settings.InputPath} or --output {_settings.OutputPath}: {e.Message}");
        }
        if (done.Count > 0) _error.WriteLine($"supervisor: resuming: {done.Count} lines are done already; running the rest.");
        await using (input)
        {
            using var interruption = new Interruption(_error, cancellationToken);
            var progress = ProgressReporter.Create(_error, total);
            var voices = new WorkerVoices(progress.WriteLine);
            var reader = new InputReader(input, _settings.MaxQueue, _settings.MaxLineBytes, new LineParser(new ArgumentCheck(plan.Function)), done);
            using var reading = CancellationTokenSource.CreateLinkedTokenSource(interruption.Stop);
            // Not awaited: after a stop it may sit in a read of stdin that nothing can cancel. It ends the channel,
            // with the error that stopped it if any, which WaitToReadAsync passes on.
            _ = reader.RunAsync(reading.Token);
            try
            {
                await using var output = new JsonResults(OpenOutput());
                return await RunPoolAsync(plan with { Options = plan.Options with { Output = voices.Forward } }, reader, output, progress, voices, interruption);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Fail(ExitCodes.Failed, $"the output could not be written: {e.Message}");
            }
            finally
            {
                // Ended early (an output error, the second signal): the reader must not wait for room forever.
                await reading.CancelAsync();
            }
        }
    }

    private async Task<int> RunPoolAsync(LaunchPlan plan, InputReader reader, JsonResults output, ProgressReporter progress, WorkerVoices voices, Interruption interruption)
    {
        if (_settings.Redis is { } redis) return await RunOnNodesAsync(redis, _settings.Queue!, plan.Function, reader, output, progress, voices, interruption);
        ProcessPool pool;
        try
        {
            pool = await ProcessPool.StartAsync(plan.Options, interruption.Abort);
        }
        catch (WorkerStartException e)
        {
            var notRun = await WriteNotRunAsync(reader, output, progress, new CallFailure(CallFailure.NotRun, $"not run: the workers could not start ({FirstLine(e.Message)})"));
            return Fail(ExitCodes.Failed,
                $"the workers could not start: {e.Message}{Environment.NewLine}No call ran; each of the {notRun} input lines has a NotRun row in the output. " +
                "Check that the .NET runtime this launcher runs on can start the worker (the message above says why it did not), then run the same command with --resume.");
        }
        catch (OperationCanceledException) when (interruption.Abort.IsCancellationRequested)
        {
            return interruption.ExitCode;
        }
        await using (pool)
        {
            try
            {
                await progress.RunAsync(() => StreamAsync(pool, plan.Function, reader, output, progress, voices, interruption));
            }
            catch (OperationCanceledException) when (interruption.Abort.IsCancellationRequested)
            {
                await pool.TerminateAsync();
                progress.Finish();
                return interruption.ExitCode;
            }
            catch (PoolBrokenException e)
            {
                // Broken while calls were still being taken: the rest of the input never reached the pool.
                await pool.TerminateAsync();
                _broken ??= e;
                _notRunRows += await WriteNotRunAsync(reader, output, progress, CallFailure.From(e, voices.LastWords));
            }
        }
        progress.Finish();
        if (_broken is { } broken)
        {
            return Fail(ExitCodes.Failed,
                $"the pool broke: {FirstLine(broken.Message)}{Environment.NewLine}Workers kept dying (a crash loop), so the run stopped: " +
                $"{progress.Done - _notRunRows} calls ended, {_notRunRows} lines did not run and have NotRun rows in the output. The crash rows say how the workers died; " +
                "once that is fixed, run the same command with --resume to do the rest.");
        }
        if (interruption.Interrupted)
        {
            ReportNotRun(reader);
            return interruption.ExitCode;
        }
        return Conclude(progress);
    }

    // The same stream, its calls run by the nodes serving the queue: no worker to start or break here. Redis
    // unreachable, the client retries with backoff and says so on stderr; the calls wait in the queue for a node.
    private async Task<int> RunOnNodesAsync(string redis, string queue, Function function, InputReader reader, JsonResults output, ProgressReporter progress,
        WorkerVoices voices, Interruption interruption)
    {
        // Information: losing Redis is a warning, and its return (said once) belongs beside it.
        using var logging = ConsoleLogging.Create(LogLevel.Information);
        DistributedPool pool;
        try
        {
            pool = await DistributedPool.ConnectAsync(redis, queue, new DistributedPoolOptions { Logger = logging.CreateLogger("supervisor") }, interruption.Abort);
        }
        catch (ArgumentException e)
        {
            return Fail(ExitCodes.Usage, $"--redis {redis} --queue {queue}: {e.Message}");
        }
        catch (OperationCanceledException) when (interruption.Abort.IsCancellationRequested)
        {
            return interruption.ExitCode;
        }
        await using (pool)
        {
            try
            {
                await progress.RunAsync(() => StreamAsync(pool, function, reader, output, progress, voices, interruption));
            }
            catch (OperationCanceledException) when (interruption.Abort.IsCancellationRequested)
            {
                // The calls sent run on their nodes; their results, come too late, expire with this client's reply stream.
                progress.Finish();
                return interruption.ExitCode;
            }
        }
        progress.Finish();
        if (interruption.Interrupted)
        {
            ReportNotRun(reader);
            return interruption.ExitCode;
        }
        return Conclude(progress);
    }

    private int Conclude(ProgressReporter progress)
    {
        if (_firstFailure is not { } first) return ExitCodes.Success;
        // A malformed line's message names its line already; the summary names it once.
        var reason = first.Line.Problem ?? first.Failure.Message;
        _error.WriteLine($"{progress.Failed} of {progress.Done} calls failed; first: line {first.Line.Number}: {first.Failure.ShortType}: {reason}");
        return ExitCodes.Failed;
    }

    private async Task StreamAsync(IWorkerPool pool, Function function, InputReader reader, JsonResults output, ProgressReporter progress, WorkerVoices voices, Interruption interruption)
    {
        var calls = AllLines(reader.Lines, interruption.Stop);
        var outcomes = pool.ImapOutcomes<object?>(function, calls, ordered: !_settings.Unordered, _settings.ChunkSize, interruption.Stop, interruption.Abort)
            .GetAsyncEnumerator(interruption.Abort);
        await using (outcomes)
        {
            while (await WhenReadyAsync(outcomes.MoveNextAsync(), output, interruption.Abort))
            {
                await WriteAsync(output, outcomes.Current, progress, voices, interruption);
            }
        }
        await output.FlushAsync(interruption.Abort);
    }

    private async Task WriteAsync(JsonResults output, TaskOutcome<object?> outcome, ProgressReporter progress, WorkerVoices voices, Interruption interruption)
    {
        _inFlight.TryRemove(outcome.Index, out var line);
        if (outcome.Error is OperationCanceledException && interruption.Stop.IsCancellationRequested)
        {
            // Withdrawn by the stop before any worker took it: it did not run, and --resume will run it.
            _notRun.Add(line!.Number);
            return;
        }
        var failure = line!.Problem is { } problem ? CallFailure.Malformed(line, problem)
            : outcome.Error is { } error ? CallFailure.From(error, voices.LastWords)
            : null;
        if (failure is null)
        {
            await output.WriteResultAsync(line.Index, outcome.Value, interruption.Abort);
        }
        else
        {
            await output.WriteFailureAsync(line.Index, failure, interruption.Abort);
            _firstFailure ??= (line, failure);
            if (outcome.Error is PoolBrokenException broken)
            {
                _broken ??= broken;
                _notRunRows++;
            }
        }
        progress.Completed(failure is not null);
    }

    // After a broken pool or a failed start: a NotRun row for every line taken but without an outcome, and for every
    // line still to come, so that the output accounts for the whole input.
    private async Task<long> WriteNotRunAsync(InputReader reader, JsonResults output, ProgressReporter progress, CallFailure failure)
    {
        var count = 0L;
        foreach (var line in _inFlight.Values.OrderBy(l => l.Index))
        {
            await output.WriteFailureAsync(line.Index, failure);
            progress.Completed(failed: true);
            count++;
        }
        _inFlight.Clear();
        while (await reader.Lines.WaitToReadAsync())
        {
            while (reader.Lines.TryRead(out var line))
            {
                await output.WriteFailureAsync(line.Index, failure);
                progress.Completed(failed: true);
                count++;
            }
        }
        await output.FlushAsync();
        return count;
    }

    // After a stop: the lines withdrawn, those read but not yet taken, and whether input was left unread.
    private void ReportNotRun(InputReader reader)
    {
        while (reader.Lines.TryRead(out var line)) _notRun.Add(line.Number);
        var unread = !reader.ReachedEnd;
        if (_notRun.Count == 0 && !unread) return;
        _notRun.Sort();
        var text = _notRun.Count == 0 ? "" : $"lines {LineRanges.Describe(_notRun)}";
        if (unread) text += (text.Length > 0 ? ", and " : "") + $"the input after line {reader.LinesRead.ToString(CultureInfo.InvariantCulture)} (not read)";
        var resume = _settings.OutputIsStandard ? "" : "; to do them, run the same command with --resume";
        _error.WriteLine($"not run: {text}{resume}.");
    }

    // Every line read until the input ends or the first signal, numbered from 0 as the pool numbers calls.
    private async IAsyncEnumerable<Arguments> AllLines(ChannelReader<InputLine> lines, [EnumeratorCancellation] CancellationToken stop)
    {
        var call = 0;
        while (await WaitToReadAsync(lines, stop))
        {
            while (!stop.IsCancellationRequested && lines.TryRead(out var line))
            {
                _inFlight[call++] = line;
                yield return line.Arguments ?? _unbindable;
            }
        }
    }

    // Flushes the output whenever the launcher is about to wait: every result is visible as soon as there is
    // nothing else to do, without a write to the file per line when results come in bursts.
    private static async ValueTask<bool> WhenReadyAsync(ValueTask<bool> next, JsonResults output, CancellationToken cancellationToken)
    {
        if (!next.IsCompleted) await output.FlushAsync(cancellationToken);
        return await next;
    }

    private static async ValueTask<bool> WaitToReadAsync(ChannelReader<InputLine> lines, CancellationToken stop)
    {
        try
        {
            return await lines.WaitToReadAsync(stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return false;
        }
    }

    // Whole lines only reach the file (JsonResults writes each line in one write); a resumed run appends.
    private Stream OpenOutput() => _settings.OutputIsStandard
        ? new BufferedStream(Console.OpenStandardOutput(), 64 * 1024)
        : new FileStream(_settings.OutputPath, _settings.Resume ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.Read, 64 * 1024, FileOptions.Asynchronous);

    private static string FirstLine(string text) => text.Split('\n', 2)[0].TrimEnd('\r');

    private int Fail(int exitCode, string message)
    {
        _error.WriteLine($"supervisor: {message}");
        return exitCode;
    }
}
