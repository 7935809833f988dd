using System.Runtime.Versioning;
using Supervisor.Processes;
using Supervisor.Protocol;
using Supervisor.Tests.Support;

namespace Supervisor.Tests.Processes;

/// <summary>
/// A worker's OS process on its own, without pipes or a pool: its exit read in Python's convention, its output
/// forwarded by line with its name and pid, its last stderr lines kept for a crash message, its signals.
/// </summary>
public sealed class ProcessHandleTests
{
    private readonly QuietOutput _output = new();

    [Fact]
    public async Task A_worker_host_started_without_a_supervisors_arguments_exits_with_the_usage_code_and_its_stderr_is_kept()
    {
        using var process = ProcessHandle.Start("lonely", WorkerExecutable.Resolve(null), [], _output.Options(1));
        await process.WaitForExitAsync();

        Assert.False(process.IsAlive);
        Assert.Equal(WorkerExitCodes.Usage, process.ExitCode);
        Assert.NotEmpty(process.LastErrorLines);
        Assert.StartsWith($"{Environment.NewLine}Its stderr:", process.StderrSuffix(), StringComparison.Ordinal);
        var line = Assert.Single(_output.Lines, l => l.Text == process.LastErrorLines[0]);
        Assert.True(line.IsError);
        Assert.Equal("lonely", line.WorkerName);
        Assert.Equal(process.ProcessId, line.ProcessId);
        Assert.Null(process.WorkingSetBytes());
    }

    [SkippableFact]
    [UnsupportedOSPlatform("windows")]
    public async Task Kill_ends_a_live_process_and_its_exit_reads_as_the_signal()
    {
        Skip.If(OperatingSystem.IsWindows(), "The stand-in process is sleep(1).");
        using var process = Sleeping();
        try
        {
            Assert.True(process.IsAlive);
            Assert.True(process.WorkingSetBytes() > 0);

            process.Kill();
            await process.WaitForExitAsync();

            Assert.Equal(-9, process.ExitCode);
            Assert.False(process.IsAlive);
            Assert.Empty(process.LastErrorLines);
            Assert.Equal("", process.StderrSuffix());
        }
        finally
        {
            process.Kill();
        }
    }

    [SkippableFact]
    [UnsupportedOSPlatform("windows")]
    public async Task Terminate_asks_a_live_process_to_stop_and_its_exit_reads_as_sigterm()
    {
        Skip.If(OperatingSystem.IsWindows(), "The stand-in process is sleep(1).");
        using var process = Sleeping();
        try
        {
            process.Terminate();
            await process.WaitForExitAsync();

            Assert.Equal(-15, process.ExitCode);
        }
        finally
        {
            process.Kill();
        }
    }

    [Fact]
    public void An_executable_that_cannot_start_is_a_start_error_naming_the_worker_and_the_file()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-worker-{Guid.NewGuid():N}");

        var error = Assert.Throws<WorkerStartException>(() =>
            ProcessHandle.Start("worker-7", new WorkerExecutable(missing, []), [], _output.Options(1)));

        Assert.Contains($"Cannot start worker-7 from '{missing}'", error.Message, StringComparison.Ordinal);
    }

    private ProcessHandle Sleeping() => ProcessHandle.Start("sleeper", new WorkerExecutable("sleep", []), ["600"], _output.Options(1));
}
