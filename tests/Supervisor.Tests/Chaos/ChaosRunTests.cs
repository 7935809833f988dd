using Supervisor.Chaos;
using Supervisor.Tests.Support;

namespace Supervisor.Tests.Chaos;

/// <summary>The short version of `./build.sh chaos`: the same run, fewer tasks, more faults per task.</summary>
public sealed class ChaosRunTests
{
    [Fact]
    public async Task Under_kills_poison_and_hangs_nothing_is_lost_duplicated_wrong_or_hung()
    {
        var options = new ChaosOptions
        {
            Tasks = 4_000,
            Workers = 2,
            PoisonEvery = 1_000,
            HangEvery = 2_000,
            KillEvery = TimeSpan.FromMilliseconds(150),
            TaskTimeout = TimeSpan.FromSeconds(2),
            Deadline = TimeSpan.FromMinutes(3),
        };
        var report = await ChaosRun.RunAsync(options);
        Assert.Equal(0, report.Lost);
        Assert.Equal(0, report.Duplicated);
        Assert.Equal(0, report.Hung);
        Assert.Equal(0, report.Wrong);
        // Every poison task ended as a crash after its retries, every hung one as a timeout (or a kill).
        Assert.Equal(report.Poison, report.Crashed);
        Assert.Equal(2, report.Timeouts);
        ProcessAssert.AllExited(report.StartedProcessIds);
    }
}
