using System.Globalization;

namespace Supervisor.Testing.Running;

/// <summary>Turns <see cref="IsolatedOptions"/> into the options of the pool that runs the child.</summary>
internal static class ChildSetup
{
    public static WorkerOptions ToWorkerOptions(IsolatedOptions options, OutputTail tail) => new()
    {
        Workers = 1,
        StartMethod = options.StartMethod,
        Inherited = options.Inherited,
        EnvironmentVariables = options.EnvironmentVariables,
        Initializer = NeedsSetup(options) ? Function.FromDelegate(static (string? culture, string? directory) => Apply(culture, directory)) : null,
        InitializerArguments = NeedsSetup(options) ? Arguments.Of(options.Culture, options.WorkingDirectory) : null,
        TaskTimeout = options.Timeout,
        StartTimeout = options.StartTimeout,
        WorkerExecutable = options.WorkerExecutable,
        Output = tail.Add,
        NamePrefix = "isolated",
    };

    private static bool NeedsSetup(IsolatedOptions options) => options.Culture is not null || options.WorkingDirectory is not null;

    // Runs in the child, as its initializer, on the thread that then runs the call.
    private static void Apply(string? culture, string? workingDirectory)
    {
        if (culture is not null)
        {
            var info = CultureInfo.GetCultureInfo(culture);
            CultureInfo.DefaultThreadCurrentCulture = CultureInfo.DefaultThreadCurrentUICulture = info;
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = info;
        }
        if (workingDirectory is not null) Directory.SetCurrentDirectory(workingDirectory);
    }
}
