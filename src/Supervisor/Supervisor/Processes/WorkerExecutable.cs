namespace Supervisor.Processes;

/// <summary>Finds the program that starts a worker: an executable, or a <c>.dll</c> run by the <c>dotnet</c> host.</summary>
internal sealed record WorkerExecutable(string FileName, IReadOnlyList<string> LeadingArguments)
{
    private const string DefaultHost = "Supervisor.WorkerHost";

    /// <exception cref="WorkerStartException">The configured or default worker cannot be found.</exception>
    public static WorkerExecutable Resolve(string? configured)
    {
        if (configured is not null)
        {
            var full = Path.GetFullPath(configured);
            if (!File.Exists(full)) throw new WorkerStartException($"The worker executable '{full}' does not exist.");
            return full.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? ViaDotnet(full) : new(full, []);
        }
        var baseDirectory = AppContext.BaseDirectory;
        var dll = Path.Combine(baseDirectory, DefaultHost + ".dll");
        if (File.Exists(dll)) return ViaDotnet(dll);
        throw new WorkerStartException(
            $"The default worker host was not found at '{dll}'. Reference the Supervisor package (it brings the host) or set WorkerOptions.WorkerExecutable.");
    }

    // Running the .dll through the host that runs this process works the same on every platform and with
    // or without an apphost beside it.
    private static WorkerExecutable ViaDotnet(string dll) => new(DotnetHost(), [dll]);

    /// <summary>The dotnet host that runs this process, or the one on the PATH.</summary>
    internal static string DotnetHost()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromEnvironment) && File.Exists(fromEnvironment)) return fromEnvironment;
        var current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current).Equals("dotnet", StringComparison.OrdinalIgnoreCase)) return current;
        return "dotnet";
    }
}
