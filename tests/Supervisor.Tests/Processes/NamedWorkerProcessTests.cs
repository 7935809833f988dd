using SharingFunctions;
using Supervisor.Tests.Support;
using UserFunctions;

namespace Supervisor.Tests.Processes;

/// <summary>A WorkerProcess given its own name, built from a delegate, and giving back its target's value.</summary>
public sealed class NamedWorkerProcessTests
{
    private readonly QuietOutput _output = new();

    [Fact]
    public async Task A_named_process_runs_under_that_name_and_gives_back_its_targets_value()
    {
        await using var process = new WorkerProcess<string>(Function.FromDelegate<string>(Identity.WhoRunsMe), Arguments.Of(7), _output.Options(1), name: "reporter");
        Assert.Equal("reporter", process.Name);
        await process.StartAsync();

        var seen = await process.GetResultAsync();
        Assert.True(await process.JoinAsync(TimeSpan.FromMinutes(1)));
        Assert.Equal($"7:reporter:1:{process.ProcessId}", seen);
        Assert.Equal("reporter", process.Name);
        Assert.Equal(0, process.ExitCode);
    }

    [Fact]
    public async Task A_process_built_from_a_delegate_runs_it()
    {
        await using var process = new WorkerProcess(Plain.Square, Arguments.Of(5), _output.Options(1));
        await process.StartAsync();

        Assert.True(await process.JoinAsync(TimeSpan.FromMinutes(1)));
        Assert.Equal(0, process.ExitCode);
        Assert.Null(process.Failure);
    }

    [Fact]
    public async Task A_failing_targets_result_throws_naming_the_process_and_its_pid()
    {
        await using var process = new WorkerProcess<int>(Function.FromDelegate<int>(Plain.Divide), Arguments.Of(1, 0), _output.Options(1), name: "divider");
        await Assert.ThrowsAsync<InvalidOperationException>(() => process.GetResultAsync());
        await process.StartAsync();

        var error = await Assert.ThrowsAsync<RemoteTaskException>(() => process.GetResultAsync());
        Assert.Equal("divider", error.WorkerName);
        Assert.Equal(process.ProcessId, error.ProcessId);
        Assert.Contains("DivideByZeroException in divider (pid", error.Message, StringComparison.Ordinal);
        await process.JoinAsync();
    }

    [Fact]
    public void A_blank_name_is_refused() =>
        Assert.Throws<ArgumentException>(() => new WorkerProcess(Plain.Square, Arguments.Of(1), name: " "));
}
