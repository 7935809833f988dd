using Microsoft.Extensions.Time.Testing;
using Supervisor.Dispatch;
using Supervisor.Supervision;
using Supervisor.Tests.Support;

namespace Supervisor.Tests.Supervision;

public sealed class CancellationGraceTests : IDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(2);
    private readonly FakeTimeProvider _clock = new();
    private readonly InFlightLedger _ledger;
    private readonly CancellationGrace _grace;
    private int _kills;

    public CancellationGraceTests()
    {
        _ledger = new InFlightLedger("worker-1", _clock);
        _grace = new CancellationGrace(_ledger, Period, _clock, () => _kills++);
    }

    [Fact]
    public void A_cancelled_call_still_running_after_the_grace_period_gets_its_worker_killed()
    {
        var taskId = Hold(Items.Sent(1));
        Assert.True(_grace.TryStart(taskId));
        _clock.Advance(Period - TimeSpan.FromTicks(1));
        Assert.Equal(0, _kills);
        _clock.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(1, _kills);
        Assert.True(_grace.Killed);
    }

    [Fact]
    public void A_cancelled_task_that_stopped_in_time_kills_nothing()
    {
        var item = Items.Sent(1);
        var taskId = Hold(item);
        _grace.TryStart(taskId);
        _ledger.Delivered(taskId, item.Answer());
        _clock.Advance(Period);
        Assert.Equal(0, _kills);
        Assert.False(_grace.Killed);
    }

    [Fact]
    public void A_cancelled_task_queued_behind_a_running_one_waits_until_it_runs_itself()
    {
        var running = Items.Sent(1);
        var runningId = Hold(running);
        var queuedId = Hold(Items.Sent(1));
        _grace.TryStart(queuedId);
        _clock.Advance(Period);
        Assert.Equal(0, _kills);

        _ledger.Delivered(runningId, running.Answer());
        _clock.Advance(Period);
        Assert.Equal(1, _kills);
    }

    [Fact]
    public void A_task_cancelled_twice_is_told_once()
    {
        var taskId = Hold(Items.Sent(1));
        Assert.True(_grace.TryStart(taskId));
        Assert.False(_grace.TryStart(taskId));
    }

    public void Dispose() => _grace.Dispose();

    private long Hold(WorkItem item)
    {
        var taskId = _ledger.NextTaskId();
        _ledger.Add(taskId, item);
        return taskId;
    }
}
