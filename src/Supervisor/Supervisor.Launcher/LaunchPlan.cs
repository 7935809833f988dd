using System.Text.Json;

namespace Supervisor.Launcher;

/// <summary>What a run needs, resolved and checked against the files before any worker starts.</summary>
/// <param name="Function">The function, with the fixed arguments of <c>--arg</c> bound.</param>
/// <param name="Options">How to start the workers.</param>
internal sealed record LaunchPlan(Function Function, WorkerOptions Options)
{
    /// <summary>Resolves <paramref name="settings"/>, loading the user's assembly through <paramref name="loader"/>.</summary>
    /// <exception cref="LaunchConfigurationException">Something asked for cannot run; the message says what and where.</exception>
    public static LaunchPlan Create(LauncherSettings settings, FunctionLoader loader)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var function = LoadFunction(settings, loader);
        foreach (var (name, json) in settings.FixedArguments) function = BindFixed(function, name, json);
        CheckInput(settings);
        CheckOutput(settings);
        var options = new WorkerOptions
        {
            Workers = settings.Workers,
            StartMethod = settings.StartMethod,
            Retries = settings.Retries,
            TaskTimeout = settings.TaskTimeout,
        };
        return new LaunchPlan(function, options);
    }

    private static Function LoadFunction(LauncherSettings settings, FunctionLoader loader)
    {
        var path = Path.GetFullPath(settings.AssemblyPath);
        if (!File.Exists(path)) throw new LaunchConfigurationException($"--assembly: there is no file at '{path}'.");
        try
        {
            return loader.Load(path, settings.FunctionName);
        }
        catch (FunctionResolutionException e) when (e.InnerException is IOException or BadImageFormatException)
        {
            throw new LaunchConfigurationException($"--assembly: '{path}' is not a .NET assembly that can be loaded: {e.InnerException.Message}", e);
        }
        catch (Exception e) when (e is FunctionResolutionException or ArgumentException)
        {
            throw new LaunchConfigurationException($"--function {settings.FunctionName}: {e.Message}", e);
        }
    }

    private static Function BindFixed(Function function, string name, string json)
    {
        // A known parameter gets its value in the parameter's own type (Bind checks it); an unknown name is left
        // for Bind to refuse with the list of the parameters there are.
        var parameter = function.Parameters.FirstOrDefault(p => p.Name == name);
        try
        {
            var value = parameter is null ? JsonArguments.ToPlainValue(json) : JsonArguments.ForParameter(json, parameter.ParameterType);
            return function.Bind(name, value);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or NotSupportedException)
        {
            throw new LaunchConfigurationException($"--arg {name}={json}: {e.Message}", e);
        }
    }

    private static void CheckInput(LauncherSettings settings)
    {
        if (settings.InputIsStandard) return;
        var path = Path.GetFullPath(settings.InputPath);
        if (!File.Exists(path)) throw new LaunchConfigurationException($"--input: there is no file at '{path}'.");
    }

    private static void CheckOutput(LauncherSettings settings)
    {
        if (settings.OutputIsStandard) return;
        var path = Path.GetFullPath(settings.OutputPath);
        if (Directory.Exists(path)) throw new LaunchConfigurationException($"--output: '{path}' is a directory; name a file.");
        var directory = Path.GetDirectoryName(path);
        if (directory is not null && !Directory.Exists(directory))
        {
            throw new LaunchConfigurationException($"--output: the directory '{directory}' does not exist.");
        }
        if (!settings.InputIsStandard && string.Equals(path, Path.GetFullPath(settings.InputPath), StringComparison.Ordinal))
        {
            throw new LaunchConfigurationException("--output names the input file, which would be emptied before it is read.");
        }
    }
}
