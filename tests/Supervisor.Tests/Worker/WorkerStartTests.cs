using Supervisor.Tests.Support;
using UserFunctions;

namespace Supervisor.Tests.Worker;

/// <summary>What a default worker's start leaves alone until user code asks for it.</summary>
public sealed class WorkerStartTests
{
    private readonly QuietOutput _output = new();

    [Fact]
    public async Task A_worker_starts_runs_calls_and_ends_without_loading_culture_data()
    {
        // App-local culture data that does not exist: the runtime ends the process (FailFast) at its first use of
        // culture data, so a start that parsed a number or wrote to a socket through a CultureInfo would fail here.
        var options = _output.Options(1) with
        {
            EnvironmentVariables = new Dictionary<string, string?> { ["DOTNET_SYSTEM_GLOBALIZATION_APPLOCALICU"] = "0.0-not-there" },
        };
        IReadOnlyList<int> started;
        await using (var pool = await ProcessPool.StartAsync(options))
        {
            int[] squares = await pool.MapAsync(Plain.Square, [0, 1, 2, 3]);
            Assert.Equal([0, 1, 4, 9], squares);
            Assert.Equal(49, await pool.SubmitAsync(Plain.Square, 7));
            started = pool.StartedProcessIds;
        }
        ProcessAssert.AllExited(started);
        Assert.DoesNotContain(_output.Lines, line => line.Text.Contains("ICU", StringComparison.Ordinal));
    }
}
