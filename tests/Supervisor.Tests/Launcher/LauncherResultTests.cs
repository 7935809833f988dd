using System.Text.Json;

namespace Supervisor.Tests.Launcher;

/// <summary>The launcher end to end: JSON lines in, one call each in real workers, JSON lines out.</summary>
public sealed class LauncherResultTests : IDisposable
{
    private readonly LauncherSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task Positional_named_and_single_value_lines_each_make_one_call_in_input_order()
    {
        _sandbox.WriteInput("\"Ada\"", "[\"Bob\", \"Hi\"]", "", "{\"name\": \"Céline\", \"greeting\": \"Bonjour\"}", "{\"name\": \"Dan\"}");

        var result = await _sandbox.RunAsync("Text.Greet");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = _sandbox.OutputLines();
        // index is the input line's position, blank lines included, so results join back to their lines.
        Assert.Equal([0, 1, 3, 4], lines.Select(l => l.GetProperty("index").GetInt32()));
        Assert.Equal([1, 2, 4, 5], lines.Select(l => l.GetProperty("line").GetInt32()));
        Assert.Equal(["Hello, Ada!", "Hi, Bob!", "Bonjour, Céline!", "Hello, Dan!"], lines.Select(l => l.GetProperty("result").GetString()));
        Assert.Contains("done: 4 calls, 0 failed", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("spawn")]
    [InlineData("fork")]
    [InlineData("forkserver")]
    public async Task Every_start_method_runs_the_calls(string startMethod)
    {
        _sandbox.WriteInput("2", "3");

        var result = await _sandbox.RunAsync("Math.CalPow", "--arg", "exponent=2", "--workers", "1", "--start-method", startMethod);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal([4.0, 9.0], _sandbox.OutputLines().Select(l => l.GetProperty("result").GetDouble()));
    }

    [Fact]
    public async Task Json_integers_bind_to_double_and_int_parameters_and_arg_fixes_one_for_every_call()
    {
        _sandbox.WriteInput("2", "[1.5]", "{\"base\": 4}");

        var result = await _sandbox.RunAsync("Math.CalPow", "--arg", "exponent=3");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal([8.0, 3.375, 64.0], _sandbox.OutputLines().Select(l => l.GetProperty("result").GetDouble()));
    }

    [Fact]
    public async Task Records_dictionaries_arrays_and_plain_values_come_back_as_json()
    {
        string[] values = ["{\"a\":[1,\"x\",null,true,1.5,-7]}", "[[1,2],{\"b\":false}]", "18446744073709551615", "\"text\"", "null"];
        _sandbox.WriteInput([.. values.Select(v => $"{{\"value\":{v}}}")]);

        var result = await _sandbox.RunAsync("Shapes.Echo");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(values, _sandbox.OutputLines().Select(l => l.GetProperty("result").GetRawText()));
    }

    [Fact]
    public async Task A_record_comes_back_as_an_object_of_its_properties()
    {
        _sandbox.WriteInput("[1, 2.5]");

        var result = await _sandbox.RunAsync("Shapes.MakePoint");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("{\"X\":1,\"Y\":2.5,\"Label\":\"(1, 2.5)\"}", _sandbox.OutputLines().Single().GetProperty("result").GetRawText());
    }

    [Fact]
    public async Task Unordered_with_a_small_read_ahead_yields_every_index_once()
    {
        _sandbox.WriteInput([.. Enumerable.Range(0, 40).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))]);

        var result = await _sandbox.RunAsync("Math.Square", "--workers", "2", "--unordered", "--max-queue", "2", "--chunk-size", "3");

        Assert.True(result.ExitCode == 0, result.ToString());
        var byIndex = _sandbox.OutputLines().ToDictionary(l => l.GetProperty("index").GetInt32(), l => l.GetProperty("result").GetInt64());
        Assert.Equal(Enumerable.Range(0, 40), byIndex.Keys.Order());
        Assert.All(byIndex, pair => Assert.Equal((long)pair.Key * pair.Key, pair.Value));
    }

    [Fact]
    public async Task Stdin_to_stdout_keeps_stdout_to_results_and_forwards_worker_output_to_stderr()
    {
        var result = await _sandbox.RunRawAsync(
            ["--assembly", LauncherSandbox.FunctionsDll, "--function", "LauncherFunctions.Text.Chatty", "--input", "-", "--output", "-", "--workers", "1"],
            stdin: "1\n2\n");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal([1, 2], LauncherSandbox.ParseLines(result.Stdout).Select(l => l.GetProperty("result").GetInt32()));
        Assert.Contains("[worker-1] chatty out 1", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("[worker-1] chatty err 2", result.Stderr, StringComparison.Ordinal);
    }
}
