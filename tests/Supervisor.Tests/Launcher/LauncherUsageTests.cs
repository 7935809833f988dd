namespace Supervisor.Tests.Launcher;

/// <summary>Usage and configuration errors: exit code 2 and a message naming the problem, before any worker starts.</summary>
public sealed class LauncherUsageTests : IDisposable
{
    private readonly LauncherSandbox _sandbox = new();

    public LauncherUsageTests() => _sandbox.WriteInput("[2, 3]");

    public void Dispose() => _sandbox.Dispose();

    [Theory]
    [InlineData("Math.Nope", new string[0], "No method 'Nope' on LauncherFunctions.Math")]
    [InlineData("Nope.CalPow", new string[0], "No type 'LauncherFunctions.Nope'")]
    [InlineData("Math.CalPow", new[] { "--arg", "power=2" }, "--arg power=2: LauncherFunctions.Math.CalPow has no parameter 'power'")]
    [InlineData("Math.CalPow", new[] { "--arg", "exponent=2.5" }, "--arg exponent=2.5:")]
    [InlineData("Math.CalPow", new[] { "--task-timeout", "30q" }, "unknown unit 'q'")]
    [InlineData("Math.CalPow", new[] { "--workers", "0" }, "--workers must be at least 1")]
    [InlineData("Math.CalPow", new[] { "--start-method", "thread" }, "thread")]
    [InlineData("Math.CalPow", new[] { "--frobnicate" }, "--frobnicate")]
    public async Task A_configuration_error_exits_2_before_any_output_or_worker(string function, string[] extra, string message)
    {
        var result = await _sandbox.RunAsync(function, extra);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        AssertNoStackTrace(result);
        Assert.False(File.Exists(_sandbox.OutputPath), "The output file was created.");
    }

    [Fact]
    public async Task A_missing_assembly_exits_2_naming_it()
    {
        var missing = _sandbox.File("Missing.dll");

        var result = await _sandbox.RunRawAsync(["--assembly", missing, "--function", "A.B.C", "--input", _sandbox.InputPath, "--output", _sandbox.OutputPath]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"--assembly: there is no file at '{missing}'", result.Stderr, StringComparison.Ordinal);
        AssertNoStackTrace(result);
    }

    [Fact]
    public async Task A_file_that_is_not_a_dotnet_assembly_exits_2()
    {
        var result = await _sandbox.RunRawAsync(["--assembly", _sandbox.InputPath, "--function", "A.B.C", "--input", _sandbox.InputPath, "--output", _sandbox.OutputPath]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("is not a .NET assembly", result.Stderr, StringComparison.Ordinal);
        AssertNoStackTrace(result);
        Assert.False(File.Exists(_sandbox.OutputPath), "The output file was created.");
    }

    [Fact]
    public async Task A_missing_input_file_exits_2_naming_it()
    {
        var missing = _sandbox.File("missing.jsonl");

        var result = await _sandbox.RunRawAsync(["--assembly", LauncherSandbox.FunctionsDll, "--function", "LauncherFunctions.Math.CalPow", "--input", missing, "--output", _sandbox.OutputPath]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"--input: there is no file at '{missing}'", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_required_options_exit_2_naming_each()
    {
        var result = await _sandbox.RunRawAsync(["--assembly", LauncherSandbox.FunctionsDll]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--function", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--input", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--output", result.Stderr, StringComparison.Ordinal);
    }

    // An expected failure is one paragraph: what, why, what to do; a stack trace would say the launcher broke.
    private static void AssertNoStackTrace(LauncherResult result)
    {
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", result.Stderr, StringComparison.Ordinal);
    }
}
