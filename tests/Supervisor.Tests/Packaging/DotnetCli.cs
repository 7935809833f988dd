using CliWrap;
using CliWrap.Buffered;

namespace Supervisor.Tests.Packaging;

/// <summary>
/// Runs the <c>dotnet</c> CLI as a user would from a shell, in a given folder: without the MSBuild variables that
/// <c>dotnet test</c> sets for its own build, so that a nested build finds its SDK as a fresh shell does.
/// </summary>
internal static class DotnetCli
{
    // A safety net against a hung restore or build, never a timing assertion.
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    private static readonly string[] InheritedBuildVariables =
        ["MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildLoadMicrosoftTargetsReadOnly", "VSTEST_HOST_DEBUG"];

    /// <summary>The dotnet host that runs the tests.</summary>
    public static string Host { get; } = Supervisor.Processes.WorkerExecutable.DotnetHost();

    /// <summary>Removes what <c>dotnet test</c> set for its own build, and quiets the CLI's first-run messages.</summary>
    public static void AsFromAShell(CliWrap.Builders.EnvironmentVariablesBuilder env)
    {
        ArgumentNullException.ThrowIfNull(env);
        foreach (var name in InheritedBuildVariables) env.Set(name, null);
        env.Set("DOTNET_CLI_TELEMETRY_OPTOUT", "1").Set("DOTNET_NOLOGO", "1").Set("DOTNET_SKIP_FIRST_TIME_EXPERIENCE", "1");
    }

    /// <summary>Runs <c>dotnet {arguments}</c> in <paramref name="workingDirectory"/>; fails the test, with its output, unless it exits 0.</summary>
    public static async Task<string> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        using var limit = new CancellationTokenSource(Limit);
        var result = await Cli.Wrap(Host)
            .WithArguments(arguments)
            .WithWorkingDirectory(workingDirectory)
            .WithEnvironmentVariables(env =>
            {
                AsFromAShell(env);
                foreach (var (name, value) in environment) env.Set(name, value);
            })
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(limit.Token);
        Assert.True(result.ExitCode == 0,
            $"dotnet {string.Join(' ', arguments)} exited with {result.ExitCode}\nstdout:\n{result.StandardOutput}\nstderr:\n{result.StandardError}");
        return result.StandardOutput;
    }
}
