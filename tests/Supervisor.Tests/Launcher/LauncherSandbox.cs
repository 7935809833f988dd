using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using Supervisor.Tests.Support;

namespace Supervisor.Tests.Launcher;

/// <summary>
/// Runs the real launcher (<c>dotnet Supervisor.Launcher.dll</c>) as a process, on the LauncherFunctions fixture,
/// with real input and output files in a temp directory. After every run it asserts that no process the run
/// started is left.
/// </summary>
internal sealed class LauncherSandbox : IDisposable
{
    // A safety net against a hung launcher, never a timing assertion.
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    private readonly TempDirectory _directory = new();

    public static string LauncherDll { get; } = Path.Combine(AppContext.BaseDirectory, "Supervisor.Launcher.dll");

    public static string FunctionsDll { get; } = Path.Combine(AppContext.BaseDirectory, "LauncherFunctions.dll");

    public static string DotnetHost { get; } = Supervisor.Processes.WorkerExecutable.DotnetHost();

    /// <summary>Set in the environment of every process a run starts, workers included.</summary>
    public string Marker { get; } = Guid.NewGuid().ToString("N");

    public string InputPath => _directory.File("in.jsonl");

    public string OutputPath => _directory.File("out.jsonl");

    public string File(string name) => _directory.File(name);

    public void WriteInput(params string[] lines) => System.IO.File.WriteAllText(InputPath, string.Join("\n", lines) + "\n");

    /// <summary>Runs <c>LauncherFunctions.{function}</c> over the input file into the output file.</summary>
    public Task<LauncherResult> RunAsync(string function, params string[] extra) =>
        RunRawAsync(["--assembly", FunctionsDll, "--function", "LauncherFunctions." + function, "--input", InputPath, "--output", OutputPath, .. extra]);

    /// <summary>
    /// Runs the launcher with exactly <paramref name="arguments"/>, <paramref name="stdin"/> as its input; the one at
    /// <paramref name="launcherDll"/> when given (a copy the test has altered), else the built one.
    /// </summary>
    public async Task<LauncherResult> RunRawAsync(IReadOnlyList<string> arguments, string stdin = "", string? launcherDll = null)
    {
        using var limit = new CancellationTokenSource(Limit);
        var result = await Command(arguments, launcherDll)
            .WithStandardInputPipe(PipeSource.FromString(stdin))
            .ExecuteBufferedAsync(limit.Token);
        var launched = new LauncherResult(result.ExitCode, result.StandardOutput, result.StandardError);
        AssertNothingLeft(launched);
        return launched;
    }

    /// <summary>The launcher command, for tests that drive the process themselves.</summary>
    public Command Command(IReadOnlyList<string> arguments, string? launcherDll = null) =>
        Cli.Wrap(DotnetHost)
            .WithArguments([launcherDll ?? LauncherDll, .. arguments])
            .WithEnvironmentVariables(env => env.Set(MarkedProcesses.Variable, Marker))
            .WithValidation(CommandResultValidation.None);

    public void AssertNothingLeft(LauncherResult result)
    {
        var left = MarkedProcesses.Running(Marker);
        Assert.True(left.Count == 0, $"Processes left running after the launcher exited: {string.Join(", ", left)}\n{result}");
    }

    /// <summary>The output file's lines, parsed.</summary>
    public IReadOnlyList<JsonElement> OutputLines() => ParseLines(System.IO.File.ReadAllText(OutputPath));

    public static IReadOnlyList<JsonElement> ParseLines(string text) =>
        [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone())];

    /// <summary>
    /// Kills whatever the runs left (a test that failed half-way, before its launcher ended), so that no process
    /// outlives the test, then removes the directory. A passing test has asserted that nothing was left.
    /// </summary>
    public void Dispose()
    {
        foreach (var pid in MarkedProcesses.Running(Marker))
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Ended meanwhile.
            }
        }
        _directory.Dispose();
    }
}
