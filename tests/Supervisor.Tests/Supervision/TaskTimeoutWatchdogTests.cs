using Microsoft.Extensions.Time.Testing;
using Supervisor.Dispatch;
using Supervisor.Protocol.Messages;
using Supervisor.Supervision;
using Supervisor.Tests.Support;

namespace Supervisor.Tests.Supervision;

/// <summary>The task timeout's decisions, on a fake clock: the worker is a ledger, its Probe and kill are recorded.</summary>
public sealed class TaskTimeoutWatchdogTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    // The bound on the wait for a report: min(timeout, 5 s).
    private static readonly TimeSpan ReportWait = TimeSpan.FromSeconds(5);
    private readonly FakeTimeProvider _clock = new();
    private readonly InFlightLedger _ledger;
    private readonly TaskTimeoutWatchdog _watchdog;
    private Action _onProbe = () => { };
    private int _probes;
    private int _kills;

    public TaskTimeoutWatchdogTests()
    {
        _ledger = new InFlightLedger("worker-1", _clock);
        _watchdog = new TaskTimeoutWatchdog(_ledger, Timeout, _clock, () =>
        {
            _probes++;
            _onProbe();
        }, () => _kills++);
    }

    [Fact]
    public async Task A_call_within_the_timeout_is_left_alone()
    {
        Hold(Items.Sent(1));
        _clock.Advance(Timeout);
        Assert.False(await _watchdog.CheckAsync(CancellationToken.None));
        Assert.Equal((0, 0), (_probes, _kills));
    }

    [Fact]
    public async Task A_call_past_the_timeout_that_its_worker_names_is_killed_and_the_call_remembered()
    {
        var taskId = Hold(Items.Sent(3));
        _onProbe = () => _ledger.AcceptReport(new RunningMessage(taskId, 0));
        _clock.Advance(Timeout + TimeSpan.FromTicks(1));

        Assert.True(await _watchdog.CheckAsync(CancellationToken.None));
        Assert.Equal((1, 1), (_probes, _kills));
        Assert.True(_watchdog.TimedOut);
        Assert.Equal(new RunningMessage(taskId, 0), _watchdog.KilledCall);
    }

    [Fact]
    public async Task A_worker_that_does_not_answer_the_probe_is_killed_once_the_wait_is_over_its_call_unknown()
    {
        Hold(Items.Sent(1));
        _clock.Advance(Timeout + TimeSpan.FromTicks(1));

        var check = _watchdog.CheckAsync(CancellationToken.None);
        Assert.False(check.IsCompleted);
        Assert.Equal(0, _kills);
        _clock.Advance(ReportWait);

        Assert.True(await check);
        Assert.Equal(1, _kills);
        Assert.True(_watchdog.TimedOut);
        Assert.Null(_watchdog.KilledCall);
    }

    [Fact]
    public async Task Results_gathered_before_the_running_call_restart_its_clock_instead_of_killing()
    {
        var item = Items.Sent(3);
        var taskId = Hold(item);
        // The worker's answer to the Probe: the results of quick calls it had gathered, then the call that runs.
        _onProbe = () =>
        {
            _ledger.Expect(taskId, 0, 2);
            item.Answer(2);
            _ledger.Delivered(taskId, item);
            _ledger.AcceptReport(new RunningMessage(taskId, 2));
        };
        _clock.Advance(Timeout + TimeSpan.FromTicks(1));

        Assert.False(await _watchdog.CheckAsync(CancellationToken.None));
        Assert.Equal((1, 0), (_probes, _kills));
        Assert.False(_watchdog.TimedOut);

        // The call that runs has its whole timeout from the last result, and no more.
        _onProbe = () => _ledger.AcceptReport(new RunningMessage(taskId, 2));
        _clock.Advance(Timeout + TimeSpan.FromTicks(1));
        Assert.True(await _watchdog.CheckAsync(CancellationToken.None));
        Assert.Equal(new RunningMessage(taskId, 2), _watchdog.KilledCall);
    }

    [Fact]
    public async Task The_watch_looks_again_and_again_until_a_call_passes_the_timeout()
    {
        var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var watchdog = new TaskTimeoutWatchdog(_ledger, Timeout, _clock, () => { }, () => killed.TrySetResult());
        using var stop = new CancellationTokenSource();
        Hold(Items.Sent(1));
        var watching = watchdog.WatchAsync(stop.Token);

        // Each step fires the pending look (every quarter of the timeout, at most 1 s) or the report's wait.
        while (!killed.Task.IsCompleted)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
        }
        await watching.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(watchdog.TimedOut);
    }

    private long Hold(WorkItem item)
    {
        var taskId = _ledger.NextTaskId();
        _ledger.Add(taskId, item);
        return taskId;
    }
}
