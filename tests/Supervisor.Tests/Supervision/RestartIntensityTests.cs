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
        // A worker that dies before its first result is a loop whatever the pool did: the limit stops it.
        Assert.False(intensity.Peek(madeProgress: false, completedTasks: 5).Allowed);
    }

    [Fact]
    public void A_worker_that_died_before_its_first_result_counts_however_busy_the_pool_is()
    {
        var intensity = new RestartIntensity(maxRestarts: 1, TimeSpan.FromSeconds(10), new FakeTimeProvider());
        Assert.True(Restart(intensity, madeProgress: false, completedTasks: 10).Counts);
        Assert.False(intensity.Peek(madeProgress: false, completedTasks: 20).Allowed);
    }

    // What the group does: look, then record the crash if it counts; the pool's completed tasks stay where they were.
    private static RestartOutlook Restart(RestartIntensity intensity, bool madeProgress, long completedTasks = 0)
    {
        var outlook = intensity.Peek(madeProgress, completedTasks);
        if (outlook.Allowed && outlook.Counts) intensity.Record(madeProgress, completedTasks);
        return outlook;
    }
}
