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

    [Fact]
    public async Task Kills_alone_with_the_default_options_lose_and_fail_nothing()
    {
        // A random worker of two SIGKILLed every 150 ms, often before its first result: workers are replaced as long as
        // calls complete between the kills, and every call's retries carry it through.
        var report = await ChaosRun.RunAsync(ChaosOptions.KillsOnly(tasks: 4_000));
        Assert.True(report is { Lost: 0, Duplicated: 0, Hung: 0, Wrong: 0, FailedAfterRetries: 0 }, report.ToString());
        Assert.True(report.WorkerKills > 0, report.ToString());
        ProcessAssert.AllExited(report.StartedProcessIds);
    }
}
