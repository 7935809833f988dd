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
        await using (var pool = await ProcessPool.StartAsync(_output.Options(1) with { Retries = 1 }))
        {
            pid = Assert.Single(pool.Workers).ProcessId;
            Assert.Empty(DiagnosticFiles(pid));
            Signals.Kill(pid);
            // The replacement answers (a call sent before the kill was seen runs again there).
            Assert.Equal(9, await pool.SubmitAsync(Seed.Square, 3));
            started = pool.StartedProcessIds;
        }
        ProcessAssert.AllExited(started);
        Assert.Empty(DiagnosticFiles(pid));
    }

    [Fact]
    public async Task Runtime_diagnostics_can_be_turned_on_for_debugging()
    {
        await using var pool = await ProcessPool.StartAsync(_output.Options(1) with { RuntimeDiagnostics = true });
        var pid = Assert.Single(pool.Workers).ProcessId;
        if (!OperatingSystem.IsWindows()) Assert.Contains(DiagnosticFiles(pid), f => f.StartsWith("dotnet-diagnostic-", StringComparison.Ordinal));
    }

    private static List<string> DiagnosticFiles(int pid) =>
    [
        .. Directory.EnumerateFiles(Path.GetTempPath(), $"clr-debug-pipe-{pid}-*").Concat(Directory.EnumerateFiles(Path.GetTempPath(), $"dotnet-diagnostic-{pid}-*"))
            .Select(Path.GetFileName).OfType<string>(),
    ];
}
