using Supervisor.Tests.Support;
using UserFunctions;

namespace Supervisor.Tests.Pools;

/// <summary>
/// A worker broken by one call and dying during a later one: when the worker held several calls, which one caused
/// its death is unknown, and nobody is charged (the suspects rule), however late the death comes.
/// </summary>
public sealed class LateDeathTests
{
    private readonly QuietOutput _output = new();

    [Fact]
    public async Task A_late_death_of_unknown_cause_charges_no_call()
    {
        using var markers = new TempDirectory();
        IReadOnlyList<int> started;
        await using (var pool = await ProcessPool.StartAsync(_output.Options(1) with
        {
            Retries = 0,
            EnvironmentVariables = new Dictionary<string, string?> { [LateCrash.MarkerDirectoryVariable] = markers.Path },
        }))
        {
            // One chunk of eight calls: call 1 arms the junk writer, call 5 fires it and dies for it.
            var results = await pool.MapAsync(LateCrash.Run, Enumerable.Range(0, 8), chunkSize: 8);
            Assert.Equal(Enumerable.Range(0, 8), results);
            started = pool.StartedProcessIds;
        }
        Assert.True(started.Count >= 2, "the worker the junk broke was replaced");
        ProcessAssert.AllExited(started);
    }
}
