using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Supervisor.Tests.Support;
using Xunit.Sdk;

namespace Supervisor.Hosting.Tests.Support;

/// <summary>
/// A sample of <c>samples/</c> run as a process of its own, from its build output and in its folder (where its
/// appsettings.json is), its output kept line by line. Every wait is bounded, none is a sleep. Disposing it kills it if
/// it still runs and asserts that every worker its pools logged has exited.
/// </summary>
internal sealed partial class SampleProcess : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private TaskCompletionSource? _changed;
    // Both streams end (a null line each) when the process exits.
    private int _streamsEnded;

    private SampleProcess(Process process) => _process = process;

    /// <summary>Everything the sample wrote so far, stdout and stderr.</summary>
    public string Output
    {
        get { lock (_lines) return string.Join('\n', _lines); }
    }

    /// <summary>Starts <c>dotnet samples/{name}/bin/{configuration}/net10.0/{name}.dll {arguments}</c>.</summary>
    public static SampleProcess Start(string name, params string[] arguments)
    {
        var configuration = typeof(SampleProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Configuration").Value!;
        var folder = Path.Combine(RepositoryRoot.Path, "samples", name, "bin", configuration, "net10.0");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])[Path.Combine(folder, name + ".dll"), .. arguments]) start.ArgumentList.Add(argument);
        // The sample's own settings, not the test runner's environment.
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        var sample = new SampleProcess(new Process { StartInfo = start });
        sample._process.OutputDataReceived += (_, e) => sample.Add(e.Data);
        sample._process.ErrorDataReceived += (_, e) => sample.Add(e.Data);
        sample._process.Start();
        sample._process.BeginOutputReadLine();
        sample._process.BeginErrorReadLine();
        return sample;
    }

    /// <summary>Waits until <paramref name="count"/> lines hold <paramref name="text"/>, and returns those lines.</summary>
    public async Task<IReadOnlyList<string>> WaitForLinesAsync(string text, int count = 1)
    {
        using var limit = new CancellationTokenSource(Patience);
        while (true)
        {
            Task changed;
            lock (_lines)
            {
                var matching = _lines.Where(l => l.Contains(text, StringComparison.Ordinal)).ToList();
                if (matching.Count >= count) return matching;
                if (_streamsEnded == 2) throw new XunitException($"The sample's output ended before {count} lines with '{text}':\n{Output}");
                changed = (_changed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }
            try
            {
                await changed.WaitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                throw new XunitException($"No {count} lines with '{text}' within {Patience}:\n{Output}");
            }
        }
    }

    /// <summary>SIGTERM, as a service manager or <c>docker stop</c> sends.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Waits for the sample to exit, and for the rest of its output; its exit code.</summary>
    public async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(Patience);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        ProcessAssert.AllExited(WorkerProcessIds());
    }

    /// <summary>The workers the sample's pools logged: "started 2 workers (pids 1, 2)", "Worker w (pid 3) replaces …".</summary>
    public List<int> WorkerProcessIds() =>
        [.. WorkerPids().Matches(Output).SelectMany(m => m.Groups[1].Value.Split(", ")).Select(p => int.Parse(p, CultureInfo.InvariantCulture))];

    private void Add(string? line)
    {
        TaskCompletionSource? changed;
        lock (_lines)
        {
            if (line is null) _streamsEnded++;
            else _lines.Add(line);
            changed = _changed;
            _changed = null;
        }
        changed?.TrySetResult();
    }

    [GeneratedRegex(@"Supervisor\.Pools\.[^\]]+\]\s.*?\(pids? (\d+(?:, \d+)*)\)")]
    private static partial Regex WorkerPids();
}
