namespace Supervisor.Tests.Support;

/// <summary>The checkout this test assembly was built from: the folder that holds Supervisor.sln.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Supervisor.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException($"No Supervisor.sln above {AppContext.BaseDirectory}.");
    }
}
