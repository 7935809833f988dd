using System.Diagnostics;
using Supervisor.Testing.LeakDetection;

namespace Supervisor.Testing;

/// <summary>
/// Proves guarded code left nothing behind: notes what exists when it starts, and at <see cref="VerifyAsync"/>
/// fails with <see cref="LeakException"/> naming each child process still running (a worker's name shows on its
/// command line), each shared-memory block or manager socket file left in the temporary directory, and each
/// tracked pool not disposed.
/// </summary>
/// <remarks>
/// Shared memory and sockets count only while this process holds them (on Linux; elsewhere any new one counts, made
/// by whichever process). It sees the whole test process: code running in parallel with the guarded code (another test class) that starts
/// processes makes them look like leaks. Run guarded tests in a collection that does not run in parallel.
/// </remarks>
public sealed class LeakGuard
{
    private readonly LeakGuardOptions _options;
    private readonly HashSet<int> _processesBefore;
    private readonly HashSet<string> _temporaryBefore;
    private readonly List<(string Name, Func<IReadOnlyList<WorkerInfo>> Workers)> _pools = [];

    private LeakGuard(LeakGuardOptions options)
    {
        _options = options;
        _processesBefore = [.. ChildProcesses.OfThisProcess().Select(p => p.ProcessId)];
        _temporaryBefore = [.. TemporaryEntries.All()];
    }

    /// <summary>Notes the child processes and temporary entries that exist now.</summary>
    public static LeakGuard Start(LeakGuardOptions? options = null)
    {
        options ??= new LeakGuardOptions();
        if (options.Grace < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(options), options.Grace, "Grace must not be negative.");
        ArgumentNullException.ThrowIfNull(options.Ignored, nameof(options.Ignored));
        return new LeakGuard(options);
    }

    /// <summary>Fails the check if <paramref name="pool"/> still has workers then: it was not disposed.</summary>
    public void Track(ProcessPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        lock (_pools) _pools.Add(("a ProcessPool", () => pool.Workers));
    }

    /// <summary>Fails the check if <paramref name="pool"/> still has children then: it was not disposed.</summary>
    public void Track(IsolatedPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        lock (_pools) _pools.Add(("an IsolatedPool", () => pool.Workers));
    }

    /// <summary>What was left behind since the guard started, one sentence each; empty if nothing.</summary>
    public async Task<IReadOnlyList<string>> FindLeaksAsync(CancellationToken cancellationToken = default)
    {
        var leaks = new List<string>();
        lock (_pools)
        {
            foreach (var (name, workers) in _pools)
            {
                var running = workers();
                if (running.Count > 0) leaks.Add($"{name} not disposed: its workers {string.Join(", ", running.Select(w => $"{w.Name} (pid {w.ProcessId})"))} still run");
            }
        }
        foreach (var process in await ProcessesLeftAsync(cancellationToken).ConfigureAwait(false))
        {
            var hint = process.CommandLine.Contains("--supervisor-worker", StringComparison.Ordinal) ? " (a worker: a pool, queue or process not disposed?)" : "";
            leaks.Add($"process {process.ProcessId} still runs: {Shorten(process.CommandLine)}{hint}");
        }
        var ours = TemporaryEntries.HeldByThisProcess();
        foreach (var entry in TemporaryEntries.All().Where(e => !_temporaryBefore.Contains(e) && ours(e)).Order(StringComparer.Ordinal))
        {
            leaks.Add(Path.GetFileName(entry).StartsWith(TemporaryEntries.SharedMemoryPrefix, StringComparison.Ordinal)
                ? $"shared memory left: {entry} (a SharedValue or SharedArray not disposed)"
                : $"socket file left: {entry} (a ProcessManager not disposed)");
        }
        return leaks;
    }

    /// <summary>Fails if anything was left behind since the guard started.</summary>
    /// <exception cref="LeakException">Something was left; its message names each thing.</exception>
    public async Task VerifyAsync(CancellationToken cancellationToken = default)
    {
        var leaks = await FindLeaksAsync(cancellationToken).ConfigureAwait(false);
        if (leaks.Count > 0) throw new LeakException(leaks);
    }

    // New descendants that are neither ignored nor ended within the grace period.
    private async Task<List<ChildProcess>> ProcessesLeftAsync(CancellationToken cancellationToken)
    {
        var ignored = _options.Ignored.Select(pool => $" {pool.NamePrefix}-").ToList();
        bool IsNew(ChildProcess p) => !_processesBefore.Contains(p.ProcessId) && !ignored.Exists(name => p.CommandLine.Contains(name, StringComparison.Ordinal));
        var suspects = ChildProcesses.OfThisProcess().Where(IsNew).ToList();
        if (suspects.Count == 0) return suspects;
        using var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        grace.CancelAfter(_options.Grace);
        await Task.WhenAll(suspects.Select(p => WaitForExitAsync(p.ProcessId, grace.Token))).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return [.. ChildProcesses.OfThisProcess().Where(IsNew)];
    }

    private static async Task WaitForExitAsync(int processId, CancellationToken cancellationToken)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or OperationCanceledException)
        {
            // Gone already, or still there at the end of the grace period: the second listing tells which.
        }
    }

    private static string Shorten(string commandLine) => commandLine.Length <= 300 ? commandLine : $"{commandLine[..297]}...";
}
