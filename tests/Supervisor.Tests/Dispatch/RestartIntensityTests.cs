using Supervisor.Dispatch;
using Supervisor.Tests.Support;

namespace Supervisor.Tests.Dispatch;

public sealed class RestartIntensityTests
{
    [Fact]
    public void One_restart_too_many_within_the_period_is_refused()
    {
        var intensity = new RestartIntensity(maxRestarts: 3, TimeSpan.FromSeconds(10), new ManualClock());
        for (var i = 0; i < 3; i++) Assert.True(intensity.TryRecord(madeProgress: true, out _));
        Assert.False(intensity.TryRecord(madeProgress: true, out _));
    }

    [Fact]
    public void Restarts_older_than_the_period_no_longer_count()
    {
        var clock = new ManualClock();
        var intensity = new RestartIntensity(maxRestarts: 2, TimeSpan.FromSeconds(10), clock);
        Assert.True(intensity.TryRecord(madeProgress: true, out _));
        Assert.True(intensity.TryRecord(madeProgress: true, out _));
        clock.Advance(TimeSpan.FromSeconds(11));
        Assert.True(intensity.TryRecord(madeProgress: true, out _));
    }

    [Fact]
    public void Workers_that_die_without_completing_anything_back_off_doubling_up_to_a_second()
    {
        var intensity = new RestartIntensity(maxRestarts: 100, TimeSpan.FromSeconds(10), new ManualClock());
        var backoffs = Enumerable.Range(0, 12).Select(_ =>
        {
            Assert.True(intensity.TryRecord(madeProgress: false, out var backoff));
            return backoff.TotalMilliseconds;
        }).ToArray();
        Assert.Equal([0, 10, 20, 40, 80, 160, 320, 640, 1000, 1000, 1000, 1000], backoffs);
    }

    [Fact]
    public void A_worker_that_completed_work_is_replaced_at_once_and_ends_the_backoff()
    {
        var intensity = new RestartIntensity(maxRestarts: 100, TimeSpan.FromSeconds(10), new ManualClock());
        for (var i = 0; i < 5; i++) intensity.TryRecord(madeProgress: false, out _);
        Assert.True(intensity.TryRecord(madeProgress: true, out var afterProgress));
        Assert.Equal(TimeSpan.Zero, afterProgress);
        Assert.True(intensity.TryRecord(madeProgress: false, out var nextFruitless));
        Assert.Equal(TimeSpan.Zero, nextFruitless);
    }
}
