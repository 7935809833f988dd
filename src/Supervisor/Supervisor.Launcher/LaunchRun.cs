using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Supervisor.Launcher;

/// <summary>
/// One run of the launcher: checks the command line against the files, starts the pool, streams the input's
/// calls through it and their results to the output as they arrive, and decides the exit code.
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

    private (InputLine Line, CallFailure Failure)? _firstFailure;

    /// <summary>Prepares a run of <paramref name="settings"/>; messages go to <paramref name="error"/>.</summary>
    public LaunchRun(LauncherSettings settings, TextWriter error)
    {
        _settings = settings;
        _error = error;
    }

    /// <summary>Runs to the end of the input, or until Ctrl-C, and returns the exit code.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        using var loader = new FunctionLoader();
        LaunchPlan plan;
        Stream input;
        long? total;
        try
        {
            plan = LaunchPlan.Create(_settings, loader);
            input = InputReader.Open(_settings);
            total = await InputReader.CountCallsAsync(input, CountableInputBytes, cancellationToken);
        }
        catch (LaunchConfigurationException e)
        {
            return Fail(ExitCodes.Usage, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(ExitCodes.Usage, $"--input {_settings.InputPath}: {e.Message}");
        }
        await using (input)
        {
            using var interruption = new Interruption(_error, cancellationToken);
            var progress = ProgressReporter.Create(_error, total);
            var (pool, startFailure) = await StartPoolAsync(plan.Options with { Output = progress.WriteWorkerLine }, interruption);
            if (pool is null) return startFailure;
            await using (pool)
            {
                try
                {
                    await StreamAsync(pool, plan.Function, input, progress, interruption);
                }
                catch (OperationCanceledException) when (interruption.Abort.IsCancellationRequested)
                {
                    await pool.TerminateAsync();
                    progress.Finish();
                    return ExitCodes.Interrupted;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    await pool.TerminateAsync();
                    return Fail(ExitCodes.Failed, $"I/O error: {e.Message}");
                }
            }
            progress.Finish();
            return interruption.Interrupted ? ExitCodes.Interrupted : Conclude(progress);
        }
    }

    private async Task<(ProcessPool? Pool, int ExitCode)> StartPoolAsync(WorkerOptions options, Interruption interruption)
    {
        try
        {
            return (await ProcessPool.StartAsync(options, interruption.Abort), ExitCodes.Success);
        }
        catch (WorkerStartException e)
        {
            return (null, Fail(ExitCodes.Failed, $"the workers could not start: {e.Message}"));
        }
        catch (OperationCanceledException) when (interruption.Abort.IsCancellationRequested)
        {
            return (null, ExitCodes.Interrupted);
        }
    }

    private int Conclude(ProgressReporter progress)
    {
        if (_firstFailure is not { } first) return ExitCodes.Success;
        // A malformed line's message names its line already; the summary names it once.
        var reason = first.Line.Problem ?? first.Failure.Message;
        _error.WriteLine($"{progress.Failed} of {progress.Done} calls failed; first: line {first.Line.Number}: {first.Failure.ShortType}: {reason}");
        return ExitCodes.Failed;
    }

    private async Task StreamAsync(ProcessPool pool, Function function, Stream inputStream, ProgressReporter progress, Interruption interruption)
    {
        await using var output = new JsonResults(OpenOutput());
        var input = new InputReader(inputStream, _settings.MaxQueue);
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(interruption.Stop);
        // Not awaited: after Ctrl-C it may sit in a read of stdin that nothing can cancel. It ends the channel,
        // with the error that stopped it if any, which WaitToReadAsync passes on.
        _ = input.RunAsync(reading.Token);
        try
        {
            await progress.RunAsync(async () =>
            {
                var calls = AllLines(input.Lines, interruption.Stop);
                var outcomes = pool.ImapOutcomes<object?>(function, calls, ordered: !_settings.Unordered, _settings.ChunkSize, interruption.Abort)
                    .GetAsyncEnumerator(interruption.Abort);
                await using (outcomes)
                {
                    while (await WhenReadyAsync(outcomes.MoveNextAsync(), output, interruption.Abort))
                    {
                        await WriteAsync(output, outcomes.Current, progress, interruption.Abort);
                    }
                }
            });
        }
        finally
        {
            // Ended early (an output error, the second Ctrl-C): the reader must not wait for room forever.
            await reading.CancelAsync();
        }
    }

    private async Task WriteAsync(JsonResults output, TaskOutcome<object?> outcome, ProgressReporter progress, CancellationToken cancellationToken)
    {
        _inFlight.TryRemove(outcome.Index, out var line);
        var failure = line!.Problem is { } problem ? CallFailure.Malformed(line, problem)
            : outcome.Error is { } error ? CallFailure.From(error)
            : null;
        if (failure is null)
        {
            await output.WriteResultAsync(line.Index, outcome.Value, cancellationToken);
        }
        else
        {
            await output.WriteFailureAsync(line.Index, failure, cancellationToken);
            _firstFailure ??= (line, failure);
        }
        progress.Completed(failure is not null);
    }

    // Every line read until the input ends or the first Ctrl-C, numbered from 0 as the pool numbers calls.
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

    private Stream OpenOutput() => _settings.OutputIsStandard
        ? new BufferedStream(Console.OpenStandardOutput(), 64 * 1024)
        : new FileStream(_settings.OutputPath, FileMode.Create, FileAccess.Write, FileShare.Read, 64 * 1024, FileOptions.Asynchronous);

    private int Fail(int exitCode, string message)
    {
        _error.WriteLine($"supervisor: {message}");
        return exitCode;
    }
}
