using System.Text.Json;
using System.Text;
using CliWrap;

namespace Supervisor.Tests.Benchmarks;

/// <summary>
/// Runs the benchmark exe end to end, as ./build.sh bench does, with --quick: every scenario must print its
/// line, as JSON, with positive numbers. Speed is not asserted: this machine's load is not the code's.
/// </summary>
public sealed class BenchmarkSmokeTests
{
    private static readonly string[] ExpectedScenarios =
    [
        "startup", "tiny_imap_chunk1", "tiny_imap_unordered_chunk1", "tiny_map_default_chunks", "queue_sentinel",
        "tiny_imap_chunk1_warm", "tiny_imap_unordered_chunk1_warm", "tiny_map_default_chunks_warm",
        "cpu_scale", "payload_1MiB_echo", "latency", "replacement", "isolated", "memory", "metrics_overhead", "host_stop",
    ];

    [Fact]
    public async Task Quick_run_prints_one_valid_json_line_per_scenario()
    {
        var (result, stdout, stderr) = await RunBenchmarkAsync(["--quick"]);

        Assert.True(result.ExitCode == 0, $"exit code {result.ExitCode}; stderr:\n{stderr}");
        var lines = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var documents = lines.Select(line => JsonDocument.Parse(line)).ToList();
        try
        {
            var byScenario = documents.ToLookup(d => d.RootElement.GetProperty("scenario").GetString());
            foreach (var scenario in ExpectedScenarios) Assert.True(byScenario.Contains(scenario), $"no '{scenario}' line in:\n{stdout}");
            Assert.Contains(byScenario["startup"], d => d.RootElement.GetProperty("method").GetString() == "spawn");
            Assert.Equal(2, byScenario["memory"].Count());
            foreach (var document in documents) AssertNumbersPositive(document.RootElement, document.RootElement.GetRawText());
        }
        finally
        {
            foreach (var document in documents) document.Dispose();
        }
    }

    [Fact]
    public async Task Versus_python_without_python_says_so_and_still_reports_our_side()
    {
        // A peer that exists and an interpreter that does not: the path a machine without Python takes.
        var peer = Path.Combine(Path.GetTempPath(), $"peer-{Guid.NewGuid():N}.py");
        await File.WriteAllTextAsync(peer, "raise SystemExit('not to be run')\n");
        try
        {
            var missing = Path.Combine(Path.GetTempPath(), $"no-python-{Guid.NewGuid():N}");
            var (result, stdout, stderr) = await RunBenchmarkAsync(
                ["--vs-python", "--pairs", "1", "--python", missing, "--peer", peer, "--quick", "--only", "startup"]);

            Assert.True(result.ExitCode == 0, $"exit code {result.ExitCode}; stderr:\n{stderr}\nstdout:\n{stdout}");
            var report = stdout.ToString();
            Assert.Contains($"Python is missing ('{missing}'", report, StringComparison.Ordinal);
            Assert.Contains("load average before:", report, StringComparison.Ordinal);
            Assert.Contains("pair 1  startup spawn ", report, StringComparison.Ordinal);
            Assert.Contains("median  startup spawn ", report, StringComparison.Ordinal);
            Assert.DoesNotContain("ours/Python", report, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(peer);
        }
    }

    /// <summary>The benchmark exe with <paramref name="arguments"/> and W=2, killed (and the test failed) after 120 s: a quick run takes well under a minute alone, but shares the cores with the rest of the suite (host_stop starts a sample service).</summary>
    private static async Task<(CommandResult Result, StringBuilder Stdout, StringBuilder Stderr)> RunBenchmarkAsync(string[] arguments)
    {
        // The ProjectReference copies the dll with its runtimeconfig and deps beside this test assembly.
        var dll = Path.Combine(AppContext.BaseDirectory, "Supervisor.Benchmarks.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: is the benchmark project referenced?");
        Assert.True(File.Exists(Path.ChangeExtension(dll, ".runtimeconfig.json")), "the benchmark's runtimeconfig.json did not come along");

        // Output is collected as it comes, so a run that hangs still shows how far it got.
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            var result = await Cli.Wrap(Supervisor.Processes.WorkerExecutable.DotnetHost())
                .WithArguments([dll, .. arguments])
                .WithEnvironmentVariables(env => env.Set("W", "2"))
                .WithStandardOutputPipe(PipeTarget.ToStringBuilder(stdout))
                .WithStandardErrorPipe(PipeTarget.ToStringBuilder(stderr))
                .WithValidation(CommandResultValidation.None)
                .ExecuteAsync(timeout.Token);
            return (result, stdout, stderr);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the benchmark did not finish within 120 s and was killed; it had printed:\n{stdout}\nstderr:\n{stderr}");
            throw;
        }
    }

    private static void AssertNumbersPositive(JsonElement element, string line)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject()) AssertNumbersPositive(property.Value, line);
                break;
            case JsonValueKind.Number:
                Assert.True(element.GetDouble() > 0, $"non-positive number {element.GetRawText()} in {line}");
                break;
            default:
                break;
        }
    }
}
