using System.Globalization;
using Supervisor.Tests.Support;

namespace Supervisor.Tests.Packaging;

/// <summary>
/// The repository's packages, packed once per test run (from the build the tests run on, with a version of their
/// own so no cached package of the same name stands in) into a local feed, and a folder outside the repository
/// whose nuget.config names that feed and the public registry only. Restores there use a packages folder of their
/// own; the machine's packages folder serves only as a read-only fallback, so registry packages are not fetched again.
/// </summary>
public sealed class PackedFeed : IDisposable
{
    private readonly TempDirectory _root = new();

    public PackedFeed()
    {
        Version = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{System.Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}";
        Directory.CreateDirectory(FeedPath);
        Directory.CreateDirectory(WorkPath);
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<Configuration>/net10.0/
        DotnetCli.RunAsync(RepositoryRoot.Path, Environment, "pack", "Supervisor.sln", "-c", configuration, "--no-build",
            "-o", FeedPath, $"-p:Version={Version}", "-v", "quiet", "-nologo").GetAwaiter().GetResult();
        File.WriteAllText(Path.Combine(WorkPath, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{FeedPath}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
              <fallbackPackageFolders>
                <add key="machine" value="{MachinePackagesFolder()}" />
              </fallbackPackageFolders>
            </configuration>
            """);
        // Nothing of the folders above (a stray Directory.Build.props in the temp folder) may reach the user's project.
        File.WriteAllText(Path.Combine(WorkPath, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(WorkPath, "Directory.Build.targets"), "<Project />");
    }

    /// <summary>The version every package of this run carries.</summary>
    public string Version { get; }

    /// <summary>The local feed: the folder of .nupkg files.</summary>
    public string FeedPath => _root.File("feed");

    /// <summary>A folder outside the repository that restores from the feed and the registry only.</summary>
    public string WorkPath => _root.File("work");

    /// <summary>The environment of every dotnet command against the feed: a packages folder of this run's own.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string> { ["NUGET_PACKAGES"] = _root.File("packages") };

    public void Dispose() => _root.Dispose();

    private static string MachinePackagesFolder() =>
        System.Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".nuget", "packages");
}
