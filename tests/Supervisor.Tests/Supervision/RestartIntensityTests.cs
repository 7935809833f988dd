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
        Assert.False(intensity.Peek(madeProgress: true).Allowed);
    }

    [Fact]
    public void Restarts_older_than_the_period_no_longer_count()
    {
        var clock = new FakeTimeProvider();
        var intensity = new RestartIntensity(maxRestarts: 2, TimeSpan.FromSeconds(10), clock);
        Restart(intensity, madeProgress: true);
        Restart(intensity, madeProgress: true);
        Assert.False(intensity.Peek(madeProgress: true).Allowed);
        clock.Advance(TimeSpan.FromSeconds(11));
        Assert.True(intensity.Peek(madeProgress: true).Allowed);
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
        for (var i = 0; i < 3; i++) Assert.True(intensity.Peek(madeProgress: false).Allowed);
        Assert.Equal(TimeSpan.Zero, Restart(intensity, madeProgress: false).Backoff);
    }

    // What the group does: look, then record the restart it goes ahead with.
    private static RestartOutlook Restart(RestartIntensity intensity, bool madeProgress)
    {
        var outlook = intensity.Peek(madeProgress);
        if (outlook.Allowed) intensity.Record(madeProgress);
        return outlook;
    }
}
