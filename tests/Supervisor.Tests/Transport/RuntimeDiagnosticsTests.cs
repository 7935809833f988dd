using Supervisor.Processes;
using Supervisor.Tests.Support;
using UserFunctions;

namespace Supervisor.Tests.Transport;

/// <summary>
/// Workers start with the runtime's diagnostics off, so a killed one leaves no <c>clr-debug-pipe-*</c> or
/// <c>dotnet-diagnostic-*</c> file in the temp directory; <see cref="WorkerOptions.RuntimeDiagnostics"/> turns them on.
/// </summary>
public sealed class RuntimeDiagnosticsTests
{
    private readonly QuietOutput _output = new();

    [Fact]
    public async Task A_killed_worker_leaves_no_diagnostic_files_behind()
    {
        int pid;
        IReadOnlyList<int> started;
        var since = DateTime.UtcNow;
        await using (var pool = await ProcessPool.StartAsync(_output.Options(1) with { Retries = 1 }))
        {
            pid = Assert.Single(pool.Workers).ProcessId;
            Assert.Empty(DiagnosticFiles(pid, since));
            Signals.Kill(pid);
            // The replacement answers (a call sent before the kill was seen runs again there).
            Assert.Equal(9, await pool.SubmitAsync(Plain.Square, 3));
            started = pool.StartedProcessIds;
        }
        ProcessAssert.AllExited(started);
        Assert.Empty(DiagnosticFiles(pid, since));
    }

    [Fact]
    public async Task Runtime_diagnostics_can_be_turned_on_for_debugging()
    {
        var since = DateTime.UtcNow;
        await using var pool = await ProcessPool.StartAsync(_output.Options(1) with { RuntimeDiagnostics = true });
        var pid = Assert.Single(pool.Workers).ProcessId;
        if (!OperatingSystem.IsWindows()) Assert.Contains(DiagnosticFiles(pid, since), f => f.StartsWith("dotnet-diagnostic-", StringComparison.Ordinal));
    }

    // Only files written since the test began: the temp directory is shared, pids are reused (32,768 of them on a
    // default Linux), and processes killed long ago (other programs', or workers from before diagnostics were off)
    // left thousands of such files, one of which can carry this worker's pid.
    private static List<string> DiagnosticFiles(int pid, DateTime since) =>
    [
        .. Directory.EnumerateFiles(Path.GetTempPath(), $"clr-debug-pipe-{pid}-*").Concat(Directory.EnumerateFiles(Path.GetTempPath(), $"dotnet-diagnostic-{pid}-*"))
            .Where(f => File.GetLastWriteTimeUtc(f) >= since)
            .Select(Path.GetFileName).OfType<string>(),
    ];
}
