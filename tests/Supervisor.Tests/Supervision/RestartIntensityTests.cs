using Microsoft.Extensions.Time.Testing;
using Supervisor.Supervision;

namespace Supervisor.Tests.Supervision;

public sealed class RestartIntensityTests
{
    [Fact]
    public void One_restart_too_many_within_the_period_is_refused()
    {
        var intensity = new RestartIntensity(maxRestarts: 3, TimeSpan.FromSeconds(10), new FakeTimeProvider());
        for (var i = 0; i < 3; i++) Assert.True(Restart(intensity, madeProgress: true).Allowed);
        Assert.False(intensity.Peek(madeProgress: true, completedTasks: 0).Allowed);
    }

    [Fact]
    public void Restarts_older_than_the_period_no_longer_count()
    {
        var clock = new FakeTimeProvider();
        var intensity = new RestartIntensity(maxRestarts: 2, TimeSpan.FromSeconds(10), clock);
        Restart(intensity, madeProgress: true);
        Restart(intensity, madeProgress: true);
        Assert.False(intensity.Peek(madeProgress: true, completedTasks: 0).Allowed);
        clock.Advance(TimeSpan.FromSeconds(11));
        Assert.True(intensity.Peek(madeProgress: true, completedTasks: 0).Allowed);
    }

    [Fact]
    public void Workers_that_die_without_completing_anything_back_off_doubling_up_to_a_second()
    {
        var intensity = new RestartIntensity(maxRestarts: 100, TimeSpan.FromSeconds(10), new FakeTimeProvider());
        var backoffs = Enumerable.Range(0, 12).Select(_ =>
        {
            var outlook = Restart(intensity, madeProgress: false);
            Assert.True(outlook.Allowed);
            return outlook.Backoff.TotalMilliseconds;
        }).ToArray();
        Assert.Equal([0, 10, 20, 40, 80, 160, 320, 640, 1000, 1000, 1000, 1000], backoffs);
    }

    [Fact]
    public void A_worker_that_completed_work_is_replaced_at_once_and_ends_the_backoff()
    {
        var intensity = new RestartIntensity(maxRestarts: 100, TimeSpan.FromSeconds(10), new FakeTimeProvider());
        for (var i = 0; i < 5; i++) Restart(intensity, madeProgress: false);
        Assert.Equal(TimeSpan.Zero, Restart(intensity, madeProgress: true).Backoff);
        Assert.Equal(TimeSpan.Zero, Restart(intensity, madeProgress: false).Backoff);
    }

    [Fact]
    public void Looking_ahead_records_nothing()
    {
        var intensity = new RestartIntensity(maxRestarts: 1, TimeSpan.FromSeconds(10), new FakeTimeProvider());
        for (var i = 0; i < 3; i++) Assert.True(intensity.Peek(madeProgress: false, completedTasks: 0).Allowed);
        Assert.Equal(TimeSpan.Zero, Restart(intensity, madeProgress: false).Backoff);
    }

    [Fact]
    public void A_crash_after_calls_completed_since_the_last_counted_one_does_not_count()
    {
        var intensity = new RestartIntensity(maxRestarts: 1, TimeSpan.FromSeconds(10), new FakeTimeProvider());
        Assert.True(Restart(intensity, madeProgress: true, completedTasks: 0).Counts);
        for (var completed = 1; completed <= 5; completed++)
        {
            var outlook = Restart(intensity, madeProgress: true, completedTasks: completed);
            Assert.Equal(new RestartOutlook(true, TimeSpan.Zero, Counts: false), outlook);
        }
        // No task completed since the previous crash: a loop, whenever it begins; the limit stops it.
        Assert.False(intensity.Peek(madeProgress: false, completedTasks: 5).Allowed);
    }

    [Fact]
    public void Workers_killed_before_their_first_result_while_the_pool_completes_tasks_do_not_count()
    {
        // Kills from outside land on fresh workers too; between them the other workers complete tasks.
        var intensity = new RestartIntensity(maxRestarts: 1, TimeSpan.FromSeconds(10), new FakeTimeProvider());
        for (var completed = 10; completed <= 50; completed += 10)
        {
            Assert.False(Restart(intensity, madeProgress: false, completedTasks: completed).Counts);
        }
        // Then nothing completes between two crashes: that one counts.
        Assert.True(Restart(intensity, madeProgress: false, completedTasks: 50).Counts);
        Assert.False(intensity.Peek(madeProgress: false, completedTasks: 50).Allowed);
    }

    [Fact]
    public void A_loop_that_begins_after_long_good_work_is_stopped()
    {
        var intensity = new RestartIntensity(maxRestarts: 2, TimeSpan.FromSeconds(10), new FakeTimeProvider());
        Assert.False(Restart(intensity, madeProgress: true, completedTasks: 1_000_000).Counts);
        Assert.True(Restart(intensity, madeProgress: false, completedTasks: 1_000_000).Counts);
        Assert.True(Restart(intensity, madeProgress: false, completedTasks: 1_000_000).Counts);
        Assert.False(intensity.Peek(madeProgress: false, completedTasks: 1_000_000).Allowed);
    }

    // What the group does: look, then record the crash, counted or not; the pool's completed tasks stay where they were.
    private static RestartOutlook Restart(RestartIntensity intensity, bool madeProgress, long completedTasks = 0)
    {
        var outlook = intensity.Peek(madeProgress, completedTasks);
        if (outlook.Allowed) intensity.Record(madeProgress, completedTasks, outlook.Counts);
        return outlook;
    }
}
