using System.Globalization;

namespace Supervisor.Testing.Running;

/// <summary>Turns <see cref="IsolatedOptions"/> into the options of the pool that runs the child.</summary>
internal static class ChildSetup
{
    // An invariant-globalization host refuses culture names unless predefined cultures are switched off; with
    // this the name sticks (with the invariant culture's data), instead of the child failing to start.
    private const string PredefinedCulturesOnly = "DOTNET_SYSTEM_GLOBALIZATION_PREDEFINED_CULTURES_ONLY";

    public static WorkerOptions ToWorkerOptions(IsolatedOptions options, OutputTail tail) => new()
    {
        Workers = 1,
        StartMethod = options.StartMethod,
        Inherited = options.Inherited,
        EnvironmentVariables = EnvironmentOf(options),
        Initializer = NeedsSetup(options) ? Function.FromDelegate(static (string? culture, string? directory) => Apply(culture, directory)) : null,
        InitializerArguments = NeedsSetup(options) ? Arguments.Of(options.Culture, options.WorkingDirectory) : null,
        TaskTimeout = options.Timeout,
        StartTimeout = options.StartTimeout,
        WorkerExecutable = options.WorkerExecutable,
        Output = tail.Add,
        NamePrefix = "isolated",
    };

    private static bool NeedsSetup(IsolatedOptions options) => options.Culture is not null || options.WorkingDirectory is not null;

    private static Dictionary<string, string?> EnvironmentOf(IsolatedOptions options)
    {
        var variables = new Dictionary<string, string?>(options.EnvironmentVariables);
        if (options.Culture is not null) variables.TryAdd(PredefinedCulturesOnly, "false");
        return variables;
    }

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
