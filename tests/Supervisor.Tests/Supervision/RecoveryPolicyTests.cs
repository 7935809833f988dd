using Supervisor.Dispatch;
using Supervisor.Protocol.Messages;
using Supervisor.Supervision;
using Supervisor.Tests.Support;

namespace Supervisor.Tests.Supervision;

/// <summary>
/// The recovery decision as a table: how the worker ended, what it held, then what becomes of each task (those
/// waiting first, the running one last) and of the slot.
/// </summary>
public sealed class RecoveryPolicyTests
{
    // What a worker held, by name:
    //   one:        one call alone (its running call is known)
    //   chunk:      one task of three calls (results may have died with the worker: unknown)
    //   two:        a running call and one waiting behind it (unknown)
    //   named:      two, killed for a timeout after it named its running call (known)
    //   stale:      two, killed after naming a call that was answered since (unknown)
    //   suspect:    a suspect chunk sent alone, reporting each call (known)
    //   later-call: a chunk whose first call was charged and answered since; its second call runs now (known, its first charge)
    //   cancelled:  two, the running call cancelled by its caller
    [Theory]
    [InlineData(WorkerExitReason.Finished, "none", 0, "", "Retire", false)]
    [InlineData(WorkerExitReason.Recycled, "none", 0, "", "Replace", false)]
    [InlineData(WorkerExitReason.Crashed, "one", 1, "Retry", "Replace", true)]
    [InlineData(WorkerExitReason.Crashed, "one", 2, "FailCall", "Replace", true)]
    [InlineData(WorkerExitReason.Crashed, "chunk", 1, "RequeueAsSuspect", "Replace", true)]
    [InlineData(WorkerExitReason.Crashed, "two", 1, "RequeueAsSuspect RequeueAsSuspect", "Replace", true)]
    [InlineData(WorkerExitReason.BrokeProtocol, "two", 1, "RequeueAsSuspect RequeueAsSuspect", "Replace", true)]
    [InlineData(WorkerExitReason.TimedOut, "named", 1, "Requeue Retry", "Replace", true)]
    [InlineData(WorkerExitReason.TimedOut, "named", 2, "Requeue FailCall", "Replace", true)]
    [InlineData(WorkerExitReason.TimedOut, "stale", 1, "RequeueAsSuspect RequeueAsSuspect", "Replace", true)]
    [InlineData(WorkerExitReason.Crashed, "suspect", 2, "FailCall", "Replace", true)]
    [InlineData(WorkerExitReason.Crashed, "later-call", 1, "Retry", "Replace", true)]
    [InlineData(WorkerExitReason.CancelIgnored, "cancelled", 1, "Requeue Drop", "Replace", false)]
    public void Decides_who_is_blamed_what_goes_back_and_what_becomes_of_the_slot(
        WorkerExitReason reason, string held, int sends, string fates, string worker, bool countsAsCrash)
    {
        var decision = new RecoveryPolicy(retries: 1).Decide(Exit(reason, held, sends), stopping: false, new RestartOutlook(true, TimeSpan.Zero));

        Assert.Equal(fates, string.Join(' ', decision.Tasks.Select(t => t.Fate)));
        Assert.Equal(worker, decision.Worker.ToString());
        Assert.Equal(countsAsCrash, decision.CountsAsCrash);
    }

    [Theory]
    [InlineData("one", "Fail")]
    [InlineData("two", "Fail Fail")]
    [InlineData("cancelled", "Fail Drop")]
    public void A_stopping_pool_fails_what_was_held_and_replaces_nobody(string held, string fates)
    {
        var decision = new RecoveryPolicy(retries: 3).Decide(Exit(WorkerExitReason.Crashed, held, 1), stopping: true, new RestartOutlook(true, TimeSpan.Zero));

        Assert.Equal(fates, string.Join(' ', decision.Tasks.Select(t => t.Fate)));
        Assert.Equal(WorkerFate.Retire, decision.Worker);
        Assert.False(decision.CountsAsCrash);
    }

    [Fact]
    public void One_crash_too_many_breaks_the_pool_after_giving_the_tasks_back()
    {
        var decision = new RecoveryPolicy(retries: 1).Decide(Exit(WorkerExitReason.Crashed, "one", 1), stopping: false, new RestartOutlook(false, TimeSpan.Zero));

        Assert.Equal(TaskFate.Retry, decision.Tasks.Single().Fate);
        Assert.Equal(WorkerFate.Break, decision.Worker);
    }

    [Fact]
    public void A_replacement_waits_the_backoff_of_the_restart_history()
    {
        var backoff = TimeSpan.FromMilliseconds(20);
        var decision = new RecoveryPolicy(retries: 1).Decide(Exit(WorkerExitReason.Crashed, "one", 1), stopping: false, new RestartOutlook(true, backoff));

        Assert.Equal((WorkerFate.Replace, backoff), (decision.Worker, decision.Backoff));
    }

    [Fact]
    public void A_kill_for_an_ignored_cancellation_ignores_the_restart_limit()
    {
        var decision = new RecoveryPolicy(retries: 1).Decide(Exit(WorkerExitReason.CancelIgnored, "cancelled", 1), stopping: false, new RestartOutlook(false, TimeSpan.Zero));

        Assert.Equal(WorkerFate.Replace, decision.Worker);
    }

    [Fact]
    public void The_decision_is_only_a_decision_it_changes_no_task()
    {
        var exit = Exit(WorkerExitReason.Crashed, "one", 2);
        var running = exit.Held.Running!;
        var before = (running.Attempts, running.Delivered, running.Suspect);

        new RecoveryPolicy(retries: 1).Decide(exit, stopping: false, new RestartOutlook(true, TimeSpan.Zero));

        Assert.Equal(before, (running.Attempts, running.Delivered, running.Suspect));
    }

    private static WorkerExit Exit(WorkerExitReason reason, string held, int sends)
    {
        const long RunningId = 7;
        WorkItem Running(int calls) => Items.Sent(calls, sends);
        (WorkItem? Running, WorkItem[] Waiting, RunningMessage? Named) shape = held switch
        {
            "none" => (null, [], null),
            "one" => (Running(1), [], null),
            "chunk" => (Running(3), [], null),
            "two" => (Running(1), [Items.Sent(1)], null),
            "named" => (Running(1), [Items.Sent(1)], new RunningMessage(RunningId, 0)),
            "stale" => (Running(2).Answer(), [Items.Sent(1)], new RunningMessage(RunningId, 0)),
            "suspect" => (Suspect(Running(3)), [], null),
            "later-call" => (LaterCall(), [], null),
            "cancelled" => (Cancelled(Running(1)), [Items.Sent(1)], null),
            _ => throw new ArgumentOutOfRangeException(nameof(held), held, null),
        };
        var (running, waiting, named) = shape;
        return new WorkerExit(reason, new HeldTasks(running, running is null ? 0 : RunningId, waiting, TasksCompleted: 0), named);
    }

    private static WorkItem Suspect(WorkItem item)
    {
        item.GiveBack(suspect: true);
        item.BeginSend();
        return item;
    }

    // A suspect chunk: call 0 was charged a crash, ran again and returned; call 1 runs now, its first charge to come.
    private static WorkItem LaterCall()
    {
        var item = Suspect(Items.Sent(3));
        item.Charge();
        item.BeginSend();
        return item.Answer();
    }

    private static WorkItem Cancelled(WorkItem item)
    {
        item.MarkCancelled();
        return item;
    }
}
