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
        "cpu_scale", "payload_1MiB_echo", "latency", "replacement", "memory",
    ];

    [Fact]
    public async Task Quick_run_prints_one_valid_json_line_per_scenario()
    {
        // The ProjectReference copies the dll with its runtimeconfig and deps beside this test assembly.
        var dll = Path.Combine(AppContext.BaseDirectory, "Supervisor.Benchmarks.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: is the benchmark project referenced?");
        Assert.True(File.Exists(Path.ChangeExtension(dll, ".runtimeconfig.json")), "the benchmark's runtimeconfig.json did not come along");

        // Output is collected as it comes, so a run that hangs still shows how far it got.
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        CommandResult result;
        try
        {
            result = await Cli.Wrap(Supervisor.Processes.WorkerExecutable.DotnetHost())
                .WithArguments([dll, "--quick"])
                .WithEnvironmentVariables(env => env.Set("W", "2"))
                .WithStandardOutputPipe(PipeTarget.ToStringBuilder(stdout))
                .WithStandardErrorPipe(PipeTarget.ToStringBuilder(stderr))
                .WithValidation(CommandResultValidation.None)
                .ExecuteAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the benchmark did not finish within 60 s and was killed; it had printed:\n{stdout}\nstderr:\n{stderr}");
            throw;
        }

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
