using Supervisor.Tests.Support;
using UserFunctions;

namespace Supervisor.Tests.Processes;

public sealed class WorkerProcessTests
{
    private readonly QuietOutput _output = new();

    [Fact]
    public async Task A_process_runs_its_target_and_exits_with_code_zero()
    {
        await using var process = new WorkerProcess(Function.FromDelegate(Plain.Square), Arguments.Of(3), _output.Options(1));
        Assert.Null(process.ExitCode);
        await process.StartAsync();
        Assert.NotNull(process.ProcessId);
        Assert.Equal("worker-1", process.Name);
        Assert.True(await process.JoinAsync(TimeSpan.FromMinutes(1)));
        Assert.False(process.IsAlive);
        Assert.Equal(0, process.ExitCode);
        Assert.Null(process.Failure);
    }

    [Fact]
    public async Task A_target_that_throws_is_reported_as_the_failure()
    {
        await using var process = new WorkerProcess(Function.FromDelegate(Plain.Divide), Arguments.Of(1, 0), _output.Options(1));
        await process.StartAsync();
        await process.JoinAsync();
        var failure = Assert.IsType<RemoteTaskException>(process.Failure);
        Assert.Equal("System.DivideByZeroException", failure.RemoteType);
    }

    [Fact]
    public async Task Kill_ends_the_process_with_minus_nine_and_join_with_a_timeout_says_whether_it_ended()
    {
        using var temp = new TempDirectory();
        await using var process = new WorkerProcess(Function.FromDelegate(Blocking.WaitForFile), Arguments.Of(temp.File("never")), _output.Options(1));
        await process.StartAsync();
        Assert.True(process.IsAlive);
        Assert.False(await process.JoinAsync(TimeSpan.Zero));
        process.Kill();
        Assert.True(await process.JoinAsync(TimeSpan.FromMinutes(1)));
        Assert.Equal(OperatingSystem.IsWindows() ? -1 : -9, process.ExitCode);
        Assert.IsType<WorkerCrashedException>(process.Failure);
        ProcessAssert.AllExited([process.ProcessId!.Value]);
    }

    [Fact]
    public async Task Terminate_sends_sigterm_and_the_exit_code_is_minus_fifteen()
    {
        using var temp = new TempDirectory();
        await using var process = new WorkerProcess(Function.FromDelegate(Blocking.WaitForFile), Arguments.Of(temp.File("never")), _output.Options(1));
        await process.StartAsync();
        process.Terminate();
        Assert.True(await process.JoinAsync(TimeSpan.FromMinutes(1)));
        // Windows has no SIGTERM: Terminate kills there.
        Assert.Equal(OperatingSystem.IsWindows() ? -1 : -15, process.ExitCode);
    }
}
