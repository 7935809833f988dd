using Supervisor.Dispatch;
using Supervisor.Tests.Support;

namespace Supervisor.Tests.Dispatch;

public sealed class RestartIntensityTests
{
    [Fact]
    public void Restarts_within_the_period_back_off_and_one_too_many_is_refused()
    {
        var clock = new ManualClock();
        var intensity = new RestartIntensity(maxRestarts: 3, TimeSpan.FromSeconds(10), clock);
        Assert.True(intensity.TryRecord(out var first));
        Assert.True(intensity.TryRecord(out var second));
        Assert.True(intensity.TryRecord(out var third));
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(20)], [first, second, third]);
        Assert.False(intensity.TryRecord(out _));
    }

    [Fact]
    public void Restarts_older_than_the_period_no_longer_count()
    {
        var clock = new ManualClock();
        var intensity = new RestartIntensity(maxRestarts: 2, TimeSpan.FromSeconds(10), clock);
        Assert.True(intensity.TryRecord(out _));
        Assert.True(intensity.TryRecord(out _));
        clock.Advance(TimeSpan.FromSeconds(11));
        Assert.True(intensity.TryRecord(out var backoff));
        Assert.Equal(TimeSpan.Zero, backoff);
    }

    [Fact]
    public void The_backoff_stops_growing_at_one_second()
    {
        var intensity = new RestartIntensity(maxRestarts: 100, TimeSpan.FromSeconds(10), new ManualClock());
        var backoff = TimeSpan.Zero;
        for (var i = 0; i < 40; i++) Assert.True(intensity.TryRecord(out backoff));
        Assert.Equal(TimeSpan.FromSeconds(1), backoff);
    }
}
