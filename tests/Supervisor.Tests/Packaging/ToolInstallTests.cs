using System.Globalization;
using CliWrap;
using CliWrap.Buffered;
using Supervisor.Tests.Launcher;

namespace Supervisor.Tests.Packaging;

/// <summary>
/// The launcher as users get it outside the repository: <c>dotnet tool install Supervisor.Launcher</c> from the
/// packed feed into a tool path of its own, then the <c>supervisor</c> command on a job, its workers included.
/// </summary>
[Collection(PackedFeedCollection.Name)]
public sealed class ToolInstallTests(PackedFeed feed) : IDisposable
{
    private readonly LauncherSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task The_installed_supervisor_command_runs_a_job_in_worker_processes()
    {
        var tools = Path.Combine(feed.WorkPath, "tools");
        await DotnetCli.RunAsync(feed.WorkPath, feed.Environment,
            "tool", "install", "Supervisor.Launcher", "--version", feed.Version, "--tool-path", tools);
        _sandbox.WriteInput("3", "4", "[5]");

        var run = await Cli.Wrap(Path.Combine(tools, OperatingSystem.IsWindows() ? "supervisor.exe" : "supervisor"))
            .WithArguments(["--assembly", LauncherSandbox.FunctionsDll, "--function", "LauncherFunctions.Math.Square",
                "--input", _sandbox.InputPath, "--output", "-", "--workers", "2"])
            .WithEnvironmentVariables(env => env
                .Set(MarkedProcesses.Variable, _sandbox.Marker)
                // The tool's apphost finds the runtime as a shell's would: where the running dotnet is.
                .Set("DOTNET_ROOT", Path.GetDirectoryName(DotnetCli.Host) is { Length: > 0 } root ? root : null))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();

        var result = new LauncherResult(run.ExitCode, run.StandardOutput, run.StandardError);
        _sandbox.AssertNothingLeft(result);
        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = LauncherSandbox.ParseLines(result.Stdout);
        Assert.Equal([9L, 16L, 25L], lines.Select(l => l.GetProperty("result").GetInt64()));
        Assert.Equal(["1", "2", "3"], lines.Select(l => l.GetProperty("line").GetInt64().ToString(CultureInfo.InvariantCulture)));
    }
}
