using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace Supervisor.Benchmarks.Scenarios;

/// <summary>
/// Not in python_mp.py: what stopping a hosted service costs. samples/WorkerService runs as a process; two files are
/// dropped in, and once both workers hold one, SIGTERM. Timed: SIGTERM to the process's exit, and the part of it after
/// the last file in flight was digested (the host's own stop: the pool drained, its workers ended, the process gone).
/// The median of a few runs. Unix only (SIGTERM); elsewhere the line says it was skipped.
/// </summary>
internal sealed class HostStopScenario : IScenario
{
    public string Name => "host_stop";

    public async Task RunAsync(BenchContext context)
    {
        if (OperatingSystem.IsWindows())
        {
            new JsonLine(Name).Add("skipped", "SIGTERM is a Unix signal").Emit();
            return;
        }
        var toExit = new List<double>();
        var afterLastCall = new List<double>();
        for (var i = 0; i < context.Sizes.HostStopRuns; i++)
        {
            var (exit, tail) = await StopOnceAsync(context.Sizes.HostStopRounds);
            toExit.Add(exit);
            afterLastCall.Add(tail);
        }
        new JsonLine(Name)
            .Add("workers", 2)
            .Add("calls_in_flight", 2)
            .Add("runs", toExit.Count)
            .Add("sigterm_to_exit_ms", Math.Round(Median(toExit), 1))
            .Add("last_call_to_exit_ms", Math.Round(Median(afterLastCall), 1))
            .Emit();
    }

    private async Task<(double SigtermToExitMs, double LastCallToExitMs)> StopOnceAsync(int rounds)
    {
        var folder = Path.GetDirectoryName(SampleDll())!;
        var work = Directory.CreateTempSubdirectory("supervisor-bench-host-stop-");
        try
        {
            var inbox = Path.Combine(work.FullName, "inbox");
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in (string[])[SampleDll(), $"--Inbox:Path={inbox}", $"--Inbox:Outbox={Path.Combine(work.FullName, "outbox")}",
                string.Create(CultureInfo.InvariantCulture, $"--Inbox:Rounds={rounds}"), "--Supervisor:Pools:digests:Workers=2"])
            {
                start.ArgumentList.Add(argument);
            }
            using var sample = Process.Start(start)!;
            var lines = new SampleLines(sample);
            await lines.WaitForAsync("Watching", 1);
            foreach (var name in (string[])["a", "b"])
            {
                var hidden = Path.Combine(inbox, "." + name);
                await File.WriteAllTextAsync(hidden, name);
                File.Move(hidden, Path.Combine(inbox, name));
            }
            await lines.WaitForAsync("Accepted", 2);
            var signalled = Stopwatch.GetTimestamp();
            using (var kill = Process.Start("kill", ["-TERM", sample.Id.ToString(CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
            await sample.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
            var exited = Stopwatch.GetTimestamp();
            BenchmarkFailedException.ThrowIfNot(sample.ExitCode == 0, Name, $"the sample exited with {sample.ExitCode}:\n{lines.All}");
            var lastCall = await lines.WaitForAsync("Digested", 2);
            return (Stopwatch.GetElapsedTime(signalled, exited).TotalMilliseconds, Stopwatch.GetElapsedTime(lastCall, exited).TotalMilliseconds);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>The sample's build output, of the configuration this benchmark was built in (see the csproj).</summary>
    private static string SampleDll() =>
        typeof(HostStopScenario).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "WorkerServiceSample").Value!;

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    /// <summary>The sample's output lines with the time each arrived; waits are bounded, none is a sleep.</summary>
    private sealed class SampleLines
    {
        private readonly List<(string Line, long At)> _lines = [];
        private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public SampleLines(Process process)
        {
            process.OutputDataReceived += (_, e) => Add(e.Data);
            process.ErrorDataReceived += (_, e) => Add(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public string All
        {
            get { lock (_lines) return string.Join('\n', _lines.Select(l => l.Line)); }
        }

        /// <summary>Waits for the <paramref name="count"/>th line holding <paramref name="text"/>; when it arrived.</summary>
        public async Task<long> WaitForAsync(string text, int count)
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            while (true)
            {
                Task changed;
                lock (_lines)
                {
                    var matching = _lines.Where(l => l.Line.Contains(text, StringComparison.Ordinal)).ToList();
                    if (matching.Count >= count) return matching[count - 1].At;
                    changed = _changed.Task;
                }
                await changed.WaitAsync(limit.Token);
            }
        }

        private void Add(string? line)
        {
            if (line is null) return;
            TaskCompletionSource changed;
            lock (_lines)
            {
                _lines.Add((line, Stopwatch.GetTimestamp()));
                changed = _changed;
                _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            changed.TrySetResult();
        }
    }
}
