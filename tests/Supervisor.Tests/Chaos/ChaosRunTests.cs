using Supervisor.Chaos;
using Supervisor.Tests.Support;

namespace Supervisor.Tests.Chaos;

/// <summary>The short version of `./build.sh chaos`: the same run, fewer tasks, more faults per task.</summary>
public sealed class ChaosRunTests
{
    // At most 200 kills in a run of 4,000 calls, whatever the load: with one outcome between kills, a run beside two
    // other test runs (load average 85) had 2,930 calls left at its 10-minute deadline. A quiet run sees far more
    // outcomes than this between two kills, so it is killed as often as before.
    private const int SuiteOutcomesBetweenKills = 20;

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
            OutcomesBetweenKills = SuiteOutcomesBetweenKills,
            TaskTimeout = TimeSpan.FromSeconds(2),
        };
        var report = await ChaosRun.RunAsync(options);
        // No timing is asserted, so these hold however loaded the machine is. Each outcome is counted once, by its
        // task's kind: a normal task returned its right value, or failed by policy once every attempt was ended for it
        // (its worker killed, or stalled past the timeout by the load: failed_after_retries, allowed); a wrong value or
        // any other error counts as wrong. Every poison task and every hung one failed (crash, kill or timeout).
        Assert.True(report is { Lost: 0, Duplicated: 0, Hung: 0, Wrong: 0 }, report.ToString());
        Assert.True(report.Crashed == report.Poison, report.ToString());
        Assert.True(report.Timeouts == options.Tasks / options.HangEvery, report.ToString());
        ProcessAssert.AllExited(report.StartedProcessIds);
    }

    [Fact]
    public async Task Kills_alone_with_the_default_options_lose_nothing_and_fail_only_calls_killed_on_every_attempt()
    {
        // A random worker of two SIGKILLed every 150 ms, often before its first result: workers are replaced as long as
        // calls complete between the kills, and every call's retries carry it through.
        var report = await ChaosRun.RunAsync(ChaosOptions.KillsOnly(tasks: 4_000) with { OutcomesBetweenKills = SuiteOutcomesBetweenKills });
        // A broken pool would fail calls with PoolBrokenException, counted as wrong.
        Assert.True(report is { Lost: 0, Duplicated: 0, Hung: 0, Wrong: 0 }, report.ToString());
        Assert.True(report.WorkerKills > 0, report.ToString());
        // A call fails only once every attempt of it was killed: on a machine loaded enough that replacements start
        // slowly, one of 4,000 may be (seen at a load average of 40). Never more of them than the kills can explain.
        Assert.True(report.FailedAfterRetries * (new WorkerOptions().Retries + 1) <= report.WorkerKills, report.ToString());
        ProcessAssert.AllExited(report.StartedProcessIds);
    }
}
