using System.Diagnostics;

namespace Supervisor.Chaos;

/// <summary>
/// Streams tasks through a pool while a killer SIGKILLs a random worker every few hundred milliseconds, some
/// tasks crash their worker every time they run, and some never return. Every task's outcome is counted by index:
/// none may be missing (lost), none may arrive twice (duplicated), and the run must end (hung).
/// </summary>
public static class ChaosRun
{
    public static async Task<ChaosReport> RunAsync(ChaosOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        var poolOptions = options.DefaultPoolOptions
            ? new WorkerOptions { Workers = options.Workers, Output = _ => { } }
            : new WorkerOptions
            {
                Workers = options.Workers,
                Retries = 3,
                TaskTimeout = options.TaskTimeout,
                // Poison and hangs restart workers as often as they come; the run is about surviving them, not stopping.
                MaxRestarts = 100_000,
                Output = _ => { },
            };
        var seen = new int[options.Tasks];
        var finished = false;
        int timeouts = 0, crashed = 0, wrong = 0, kills = 0, failedAfterRetries = 0, outcomes = 0;
        string? firstWrong = null;
        IReadOnlyList<int> started;
        await using (var pool = await ProcessPool.StartAsync(poolOptions, cancellationToken))
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var killer = KillAsync(pool, options, () => Volatile.Read(ref outcomes), () => Interlocked.Increment(ref kills), stop.Token);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(options.Deadline);
            try
            {
                await foreach (var outcome in pool.ImapOutcomes<long>(Function.FromDelegate(ChaosWork.Run), Calls(options), ordered: false,
                    cancellationToken: deadline.Token))
                {
                    seen[outcome.Index]++;
                    Interlocked.Increment(ref outcomes);
                    var kind = KindOf(options, outcome.Index);
                    // By kind first: under load any attempt may also end by the timeout (a worker stalled past it, a
                    // crash slow to report itself), and the failure still belongs to its task's kind.
                    switch (kind, outcome.Error)
                    {
                        case (ChaosKind.Normal, null) when outcome.Value == outcome.Index * 2L:
                            break;
                        case (ChaosKind.Poison, WorkerCrashedException or TaskTimeoutException):
                            crashed++;
                            break;
                        case (ChaosKind.Hang, WorkerCrashedException or TaskTimeoutException):
                            // The killer often ends a hung task's worker before its timeout does.
                            timeouts++;
                            break;
                        case (ChaosKind.Normal, WorkerCrashedException or TaskTimeoutException):
                            // A normal task whose every attempt was ended for it: its worker killed from outside, or, on a
                            // machine loaded enough to stall a worker past the timeout, the timeout. Failed by policy, not lost.
                            failedAfterRetries++;
                            break;
                        default:
                            wrong++;
                            firstWrong ??= $"{kind} call {outcome.Index}: {outcome.Error?.ToString() ?? $"value {outcome.Value}"}";
                            break;
                    }
                }
                finished = true;
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // The deadline passed: what is missing now is counted as hung.
            }
            await stop.CancelAsync();
            await killer;
            started = pool.StartedProcessIds;
        }
        var missing = seen.Count(n => n == 0);
        return new ChaosReport(
            options.Tasks, kills, Enumerable.Range(0, options.Tasks).Count(i => KindOf(options, i) == ChaosKind.Poison), timeouts, crashed,
            failedAfterRetries, wrong,
            Lost: finished ? missing : 0, Duplicated: seen.Count(n => n > 1), Hung: finished ? 0 : missing, Restarts: started.Count - options.Workers, clock.Elapsed.TotalSeconds)
        {
            StartedProcessIds = started,
            FirstWrong = firstWrong,
        };
    }

    private static ChaosKind KindOf(ChaosOptions options, int index) =>
        options.PoisonEvery > 0 && index % options.PoisonEvery == options.PoisonEvery / 2 ? ChaosKind.Poison
        : options.HangEvery > 0 && index % options.HangEvery == options.HangEvery / 3 ? ChaosKind.Hang
        : ChaosKind.Normal;

    private static async IAsyncEnumerable<Arguments> Calls(ChaosOptions options)
    {
        for (var i = 0; i < options.Tasks; i++) yield return Arguments.Of((long)i, KindOf(options, i), (int)options.CallTime.TotalMilliseconds);
        await Task.CompletedTask;
    }

    // A kill waits for the period and for outcomes since the last kill: on a slow or loaded machine, where a
    // replacement takes longer than the period to start, the run still makes progress and ends.
    private static async Task KillAsync(ProcessPool pool, ChaosOptions options, Func<int> progress, Action counted, CancellationToken cancellationToken)
    {
        var progressAtLastKill = -options.OutcomesBetweenKills;
        try
        {
            while (true)
            {
                await Task.Delay(options.KillEvery, cancellationToken);
                var workers = pool.Workers;
                if (workers.Count == 0 || progress() - progressAtLastKill < options.OutcomesBetweenKills) continue;
                progressAtLastKill = progress();
                try
                {
                    using var victim = Process.GetProcessById(workers[Random.Shared.Next(workers.Count)].ProcessId);
                    victim.Kill();
                    counted();
                }
                catch (ArgumentException)
                {
                    // It ended on its own first.
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
