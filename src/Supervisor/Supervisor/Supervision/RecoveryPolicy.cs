using Supervisor.Dispatch;

namespace Supervisor.Supervision;

/// <summary>
/// Who is blamed for a worker's end, what is retried, and whether the pool goes on: one pure decision from how the
/// worker ended, what it held, the attempts of its tasks and the restart history.
/// </summary>
/// <remarks>
/// When it is known which call was running, that call is charged: it goes back if it has retries left, else it fails,
/// and the rest go back without losing an attempt. It is known if the worker held one call alone, or ran a task that
/// reports each call, or named that call in its answer to the watchdog's Probe with no answer after. Otherwise results
/// the worker gathered may have died with it, and blaming the oldest unanswered call would fail a call that succeeded:
/// nobody is charged, and every task goes back as a <see cref="WorkItem.Suspect"/>, so that a second crash names its call.
/// A kill for a cancelled call was the caller's: nobody is blamed, and it does not count toward the restart intensity.
/// </remarks>
/// <param name="retries">How many times a call charged with a crash is sent again (<see cref="WorkerOptions.Retries"/>).</param>
internal sealed class RecoveryPolicy(int retries)
{
    /// <summary>Decides what becomes of an ended worker's tasks and slot.</summary>
    /// <param name="exit">How it ended and what it held.</param>
    /// <param name="stopping">The pool is being disposed or terminated: nothing goes back, nothing is replaced.</param>
    /// <param name="restart">What one more restart would meet.</param>
    public RecoveryDecision Decide(WorkerExit exit, bool stopping, RestartOutlook restart)
    {
        switch (exit.Reason)
        {
            case WorkerExitReason.Finished:
                return RecoveryDecision.Retire;
            case WorkerExitReason.Recycled:
                return RecoveryDecision.Retire with { Worker = WorkerFate.Replace };
        }
        var cancelIgnored = exit.Reason == WorkerExitReason.CancelIgnored;
        var suspect = !cancelIgnored && !CauseKnown(exit);
        var tasks = new List<TaskDecision>(exit.Held.Waiting.Count + 1);
        foreach (var item in exit.Held.Waiting) tasks.Add(new(item, GiveBack(item, suspect, stopping)));
        // The running task goes after the others: a replacement's first call is its slowest (loading, JIT), and a
        // kill from outside during it should not keep landing on the same task.
        if (exit.Held.Running is { } running)
        {
            tasks.Add(new(running, suspect || running.IsCancelled ? GiveBack(running, suspect, stopping)
                : stopping ? TaskFate.Fail
                : running.AttemptsIfCharged > retries ? TaskFate.FailCall
                : TaskFate.Retry));
        }
        if (stopping) return new RecoveryDecision(tasks, WorkerFate.Retire, TimeSpan.Zero, false);
        if (cancelIgnored) return new RecoveryDecision(tasks, WorkerFate.Replace, TimeSpan.Zero, false);
        return restart.Allowed
            ? new RecoveryDecision(tasks, WorkerFate.Replace, restart.Backoff, true)
            : new RecoveryDecision(tasks, WorkerFate.Break, TimeSpan.Zero, false);
    }

    /// <summary>
    /// Whether the running task's first unanswered call surely was the running one: the worker held that one call
    /// alone, or ran a task that reports each call, or was killed for the call its report named, with no answer after.
    /// </summary>
    public static bool CauseKnown(WorkerExit exit)
    {
        var held = exit.Held;
        if (held.Running is not { } running) return false;
        if (held.Waiting.Count == 0 && (running.Remaining == 1 || running.Suspect)) return true;
        return exit.KilledCall is { } named && named.TaskId == held.RunningTaskId && named.Item == running.Delivered - running.SentFrom;
    }

    private static TaskFate GiveBack(WorkItem item, bool suspect, bool stopping) =>
        item.IsCancelled ? TaskFate.Drop : stopping ? TaskFate.Fail : suspect ? TaskFate.RequeueAsSuspect : TaskFate.Requeue;
}
