using CliWrap;
using CliWrap.Buffered;
using Supervisor.Tests.Support;

namespace Supervisor.Tests.Launcher;

/// <summary>
/// <c>./build.sh run … --output -</c> as a pipeline's first stage: stdout holds the JSON lines only, and a run with
/// nothing changed since the last build does not build (and says nothing about building).
/// </summary>
public sealed class BuildScriptRunTests : IDisposable
{
    private readonly LauncherSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [SkippableFact]
    public async Task Stdout_carries_only_results_and_an_unchanged_launcher_is_not_rebuilt()
    {
        Skip.If(OperatingSystem.IsWindows(), "build.sh is the Unix entry point; build.ps1 is Windows'.");
        _sandbox.WriteInput("2", "3");

        // The first run may build, if a source changed since the last build; the second finds nothing to do.
        var first = await RunAsync();
        var second = await RunAsync();

        foreach (var run in new[] { first, second })
        {
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Equal([4L, 9L], LauncherSandbox.ParseLines(run.Stdout).Select(l => l.GetProperty("result").GetInt64()));
        }
        Assert.DoesNotContain("Build", second.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Warning", second.Stderr, StringComparison.OrdinalIgnoreCase);
    }

    private async Task<LauncherResult> RunAsync()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var result = await Cli.Wrap("bash")
            .WithArguments(["build.sh", "run", "--assembly", LauncherSandbox.FunctionsDll, "--function", "LauncherFunctions.Math.Square",
                "--input", _sandbox.InputPath, "--output", "-", "--workers", "1"])
            .WithWorkingDirectory(RepositoryRoot.Path)
            .WithEnvironmentVariables(env =>
            {
                Packaging.DotnetCli.AsFromAShell(env);
                env.Set(MarkedProcesses.Variable, _sandbox.Marker);
            })
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(limit.Token);
        var launched = new LauncherResult(result.ExitCode, result.StandardOutput, result.StandardError);
        _sandbox.AssertNothingLeft(launched);
        return launched;
    }
}
