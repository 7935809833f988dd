
namespace Supervisor.Tests.Launcher;

/// <summary>
/// Input that cannot become a call fails that line alone, in the user's terms, naming line and column: values of the
/// wrong kind for their parameter, numbers out of range, invalid UTF-8, lines past --max-line-bytes. The rest runs.
/// </summary>
public sealed class LauncherInputErrorTests : IDisposable
{
    private readonly LauncherSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task A_value_of_the_wrong_kind_is_said_in_json_terms_with_its_line_and_column()
    {
        _sandbox.WriteInput("{\"name\": 42}", "{\"name\": \"Ada\"}", "[true]");

        var result = await _sandbox.RunAsync("Text.Greet");

        Assert.True(result.ExitCode == 1, result.ToString());
        var rows = _sandbox.OutputLines();
        Assert.Equal("line 1, column 10: parameter 'name' (String): expected a string, got the number 42", Message(rows[0]));
        Assert.Equal("Hello, Ada!", rows[1].GetProperty("result").GetString());
        Assert.Equal("line 3, column 2: parameter 'name' (String): expected a string, got true", Message(rows[2]));
    }

    [Fact]
    public async Task Numbers_out_of_range_are_per_line_errors_not_infinity()
    {
        _sandbox.WriteInput("[1e400, 2]", "[3, 2]", "{\"value\": " + new string('9', 400) + "}", "[2, 3000000000]");

        var calPow = await _sandbox.RunAsync("Math.CalPow");

        Assert.True(calPow.ExitCode == 1, calPow.ToString());
        var rows = _sandbox.OutputLines();
        Assert.StartsWith("line 1, column 2: the number 1e400 is out of range", Message(rows[0]), StringComparison.Ordinal);
        Assert.Equal(9, rows[1].GetProperty("result").GetDouble());
        Assert.StartsWith("line 3, column 11: the number 99999", Message(rows[2]), StringComparison.Ordinal);
        Assert.Equal("line 4, column 5: parameter 'exponent' (Int32): the number 3000000000 is out of range for Int32 (-2147483648 to 2147483647)", Message(rows[3]));
        Assert.DoesNotContain("Infinity", await File.ReadAllTextAsync(_sandbox.OutputPath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_utf8_is_a_per_line_error_naming_the_column_of_the_bad_byte()
    {
        var input = new MemoryStream();
        input.Write("\"ok\"\n\"b"u8);
        input.Write([0xC3, 0x28]); // a lead byte without its continuation
        input.Write("d\"\n"u8);
        await File.WriteAllBytesAsync(_sandbox.InputPath, input.ToArray());

        var result = await _sandbox.RunAsync("Shapes.Echo");

        Assert.True(result.ExitCode == 1, result.ToString());
        var rows = _sandbox.OutputLines();
        Assert.Equal("ok", rows[0].GetProperty("result").GetString());
        Assert.Equal("line 2, column 3: the line is not valid UTF-8", Message(rows[1]));
    }

    [Fact]
    public async Task A_line_past_max_line_bytes_fails_alone_and_the_lines_after_it_run()
    {
        var big = "\"" + new string('x', 5000) + "\"";
        await File.WriteAllTextAsync(_sandbox.InputPath, "\"a\"\n" + big + "\n\"c\"\n", System.Text.Encoding.UTF8);

        var result = await _sandbox.RunAsync("Shapes.Echo", "--max-line-bytes", "1000");

        Assert.True(result.ExitCode == 1, result.ToString());
        var rows = _sandbox.OutputLines();
        Assert.Equal("a", rows[0].GetProperty("result").GetString());
        Assert.Equal("line 2, column 1001: the line is 5002 bytes long, more than --max-line-bytes 1000; raise the limit to run it", Message(rows[1]));
        Assert.Equal("c", rows[2].GetProperty("result").GetString());
    }

    [Fact]
    public async Task An_arg_that_is_a_bare_word_explains_that_the_value_is_json_and_shows_the_quoting()
    {
        _sandbox.WriteInput("{\"name\": \"Ada\"}");

        var result = await _sandbox.RunAsync("Text.Greet", "--arg", "greeting=beta");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("the value is JSON", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--arg greeting='\"beta\"'", result.Stderr, StringComparison.Ordinal);
    }

    private static string? Message(System.Text.Json.JsonElement row) => row.GetProperty("error").GetProperty("message").GetString();
}
