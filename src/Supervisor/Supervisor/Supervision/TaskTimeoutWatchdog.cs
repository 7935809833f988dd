using Supervisor.Dispatch;
using Supervisor.Protocol;
using Supervisor.Protocol.Messages;

namespace Supervisor.Supervision;

/// <summary>
/// The task timeout (<see cref="WorkerOptions.TaskTimeout"/>) of one worker. It counts from the worker's last
/// answer or first task, so it is per call, not per chunk. Past it, the watchdog sends a Probe, which the worker's
/// pipe thread answers while the call runs: the results gathered so far, then a Running report naming the call. The
/// kill follows the report at once if the call is still past the timeout once the results before it are in (else the
/// watch goes on), or the wait's bound; without a report the call that ran stays unknown.
/// </summary>
/// <param name="ledger">What the worker holds, and since when its call runs.</param>
/// <param name="timeout">How long one call may run.</param>
/// <param name="clock">The clock the timeout is measured by.</param>
/// <param name="sendProbe">Sends a Probe without waiting for the pipe: a sender stuck on a full pipe must not hold the kill back.</param>
/// <param name="kill">Kills the worker.</param>
internal sealed class TaskTimeoutWatchdog(InFlightLedger ledger, TimeSpan timeout, TimeProvider clock, Action sendProbe, Action kill)
{
    // How long to wait for a worker to say which call runs (at most the timeout itself): its pipe thread answers at
    // once unless the worker is stuck outside a call.
    private readonly TimeSpan _reportWait = timeout < TimeSpan.FromMilliseconds(WireProtocol.ProbeAnswerMilliseconds)
        ? timeout : TimeSpan.FromMilliseconds(WireProtocol.ProbeAnswerMilliseconds);

    /// <summary>Whether the worker was killed for passing the timeout.</summary>
    public bool TimedOut { get; private set; }

    /// <summary>The call the worker said it ran when it was killed; null if it did not say.</summary>
    public RunningMessage? KilledCall { get; private set; }

    /// <summary>Looks every quarter of the timeout (10 ms to 1 s) until the worker is killed or <paramref name="cancellationToken"/> fires.</summary>
    public async Task WatchAsync(CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromTicks(Math.Clamp(timeout.Ticks / 4, TimeSpan.FromMilliseconds(10).Ticks, TimeSpan.FromSeconds(1).Ticks));
        try
        {
            do
            {
                await Task.Delay(interval, clock, cancellationToken).ConfigureAwait(false);
            }
            while (!await CheckAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            // The worker ended first.
        }
    }

    /// <summary>One look: if the running call is past the timeout, probes the worker and kills it unless an answer restarted the clock. True once killed.</summary>
    public async Task<bool> CheckAsync(CancellationToken cancellationToken)
    {
        if (!ledger.IsPastTimeout(timeout)) return false;
        var report = ledger.AwaitReport();
        sendProbe();
        try
        {
            await report.WaitAsync(_reportWait, clock, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // No report: the worker runs no call, or is stuck outside one.
        }
        finally
        {
            ledger.StopAwaitingReport();
        }
        // Any answer since restarted the clock: results the worker had gathered (the call the report names started
        // after them, so it has its whole timeout from the last of them), or the call itself.
        if (!ledger.IsPastTimeout(timeout)) return false;
        if (report.IsCompletedSuccessfully) KilledCall = report.Result;
        TimedOut = true;
        kill();
        return true;
    }
}
