using Microsoft.Extensions.Time.Testing;
using Supervisor.Supervision;

namespace Supervisor.Tests.Supervision;

public sealed class RestartIntensityTests
{
    [Fact]
    public void One_restart_too_many_within_the_period_is_refused()
    {
        var intensity = new RestartIntensity(maxRestarts: 3, TimeSpan.FromSeconds(10), new FakeTimeProvider());
        for (var i = 0; i < 3; i++) Assert.True(Restart(intensity, madeProgress: false).Allowed);
        Assert.False(intensity.Peek(madeProgress: false, completedAtStart: 0, completed: 0).Allowed);
    }

    [Fact]
    public void Restarts_older_than_the_period_no_longer_count()
    {
        var clock = new FakeTimeProvider();
        var intensity = new RestartIntensity(maxRestarts: 2, TimeSpan.FromSeconds(10), clock);
        Restart(intensity, madeProgress: false);
        Restart(intensity, madeProgress: false);
        Assert.False(intensity.Peek(madeProgress: false, completedAtStart: 0, completed: 0).Allowed);
        clock.Advance(TimeSpan.FromSeconds(11));
        Assert.True(intensity.Peek(madeProgress: false, completedAtStart: 0, completed: 0).Allowed);
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
        for (var i = 0; i < 3; i++) Assert.True(intensity.Peek(madeProgress: false, completedAtStart: 0, completed: 0).Allowed);
        Assert.Equal(TimeSpan.Zero, Restart(intensity, madeProgress: false).Backoff);
    }

    [Fact]
    public void A_worker_that_completed_work_never_counts_however_many_die()
    {
        // Workers killed one after another on a loaded machine, each after its own results: the crashes are noticed
        // late, so between two of them nothing new may have completed, yet each dead worker had made progress.
        var intensity = new RestartIntensity(maxRestarts: 1, TimeSpan.FromSeconds(10), new FakeTimeProvider());
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(new RestartOutlook(true, TimeSpan.Zero, Counts: false), Restart(intensity, madeProgress: true, completedAtStart: 5, completed: 5));
        }
    }

    [Fact]
    public void Workers_killed_before_their_first_result_while_the_pool_completes_tasks_do_not_count()
    {
        // Kills from outside land on fresh workers too; while they live, the other workers complete tasks.
        var intensity = new RestartIntensity(maxRestarts: 1, TimeSpan.FromSeconds(10), new FakeTimeProvider());
        for (var completed = 10; completed <= 50; completed += 10)
        {
            Assert.False(Restart(intensity, madeProgress: false, completedAtStart: completed - 5, completed: completed).Counts);
        }
        // Then one lives and dies with nothing completed anywhere since the crash before: that one counts, and the next is refused.
        Assert.True(Restart(intensity, madeProgress: false, completedAtStart: 50, completed: 50).Counts);
        Assert.False(intensity.Peek(madeProgress: false, completedAtStart: 50, completed: 50).Allowed);
    }

    [Fact]
    public void A_worker_killed_soon_after_its_start_does_not_count_when_the_pool_progressed_since_the_crash_before()
    {
        // Nothing completed in its short life (started at 30, 30 now), but 20 tasks did since the previous crash (at 10).
        var intensity = new RestartIntensity(maxRestarts: 1, TimeSpan.FromSeconds(10), new FakeTimeProvider());
        Restart(intensity, madeProgress: false, completedAtStart: 10, completed: 10);
        Assert.False(Restart(intensity, madeProgress: false, completedAtStart: 30, completed: 30).Counts);
    }

    [Fact]
    public void A_crash_noticed_late_does_not_count_when_the_pool_progressed_while_its_worker_lived()
    {
        // The previous crash was recovered with every completion so far (40), but this worker saw 30 of them complete.
        var intensity = new RestartIntensity(maxRestarts: 1, TimeSpan.FromSeconds(10), new FakeTimeProvider());
        Restart(intensity, madeProgress: true, completedAtStart: 0, completed: 40);
        Assert.False(Restart(intensity, madeProgress: false, completedAtStart: 10, completed: 40).Counts);
    }

    [Fact]
    public void A_loop_that_begins_after_long_good_work_is_stopped()
    {
        var intensity = new RestartIntensity(maxRestarts: 2, TimeSpan.FromSeconds(10), new FakeTimeProvider());
        Assert.False(Restart(intensity, madeProgress: true, completedAtStart: 0, completed: 1_000_000).Counts);
        Assert.True(Restart(intensity, madeProgress: false, completedAtStart: 1_000_000, completed: 1_000_000).Counts);
        Assert.True(Restart(intensity, madeProgress: false, completedAtStart: 1_000_000, completed: 1_000_000).Counts);
        Assert.False(intensity.Peek(madeProgress: false, completedAtStart: 1_000_000, completed: 1_000_000).Allowed);
    }

    // What the group does: look, then record the crash, counted or not. Without counts, nothing ever completed.
    private static RestartOutlook Restart(RestartIntensity intensity, bool madeProgress, long completedAtStart = 0, long completed = 0)
    {
        var outlook = intensity.Peek(madeProgress, completedAtStart, completed);
        if (outlook.Allowed) intensity.Record(madeProgress, outlook.Counts, completed);
        return outlook;
    }
}
