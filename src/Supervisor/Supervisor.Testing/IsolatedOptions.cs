namespace Supervisor.Testing;

/// <summary>How an isolated call's child process is set up and judged. Every property has a documented default.</summary>
public sealed record IsolatedOptions
{
    /// <summary>Environment variables set in the child, on top of this process's own; a null value removes one. Default: none.</summary>
    public IReadOnlyDictionary<string, string?> EnvironmentVariables { get; init; } = new Dictionary<string, string?>();

    /// <summary>
    /// The culture the child runs the call under (<c>CurrentCulture</c>, <c>CurrentUICulture</c> and the default for
    /// new threads), e.g. <c>"de-DE"</c>. Default: null, the child's own.
    /// </summary>
    public string? Culture { get; init; }

    /// <summary>The child's working directory while the call runs. Default: null, this process's.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>
    /// How the child comes to life: <see cref="Supervisor.StartMethod.Fork"/> hands it <see cref="Inherited"/> as
    /// this process holds them. Default: <see cref="Supervisor.StartMethod.Spawn"/>, a fresh process with initial statics.
    /// </summary>
    public StartMethod StartMethod { get; init; } = StartMethod.Spawn;

    /// <summary>With <see cref="Supervisor.StartMethod.Fork"/>: the static members the child inherits. Default: none.</summary>
    public IReadOnlyList<InheritedState> Inherited { get; init; } = [];

    /// <summary>
    /// How long the call may run. Past it the child is killed and the call fails with
    /// <see cref="IsolatedTimeoutException"/>, which carries the child's last output. Default: 2 minutes.
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The exit code the call must end its process with (a signal as its negative number, e.g. −6), for code that exits
    /// or crashes on purpose; returning then fails with <see cref="IsolatedExitException"/>. Default: null, it must return.
    /// </summary>
    public int? ExpectedExitCode { get; init; }

    /// <summary>
    /// Receives every line the child writes to stdout and stderr, e.g. a test framework's output helper. The last
    /// <see cref="OutputTailLines"/> lines go into a failure's message either way. Default: null, lines are only kept for that.
    /// </summary>
    public Action<WorkerOutputLine>? Output { get; init; }

    /// <summary>How many of the child's last output lines a failure's message carries. Default: 40.</summary>
    public int OutputTailLines { get; init; } = 40;

    /// <summary>The worker executable the child runs. Default: null, the bundled <c>Supervisor.WorkerHost</c>.</summary>
    public string? WorkerExecutable { get; init; }

    /// <summary>How long the child has to start. Default: 30 seconds.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(EnvironmentVariables, nameof(EnvironmentVariables));
        ArgumentNullException.ThrowIfNull(Inherited, nameof(Inherited));
        if (Timeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(Timeout), Timeout, "Must be positive.");
        if (StartTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(StartTimeout), StartTimeout, "Must be positive.");
        if (OutputTailLines < 0) throw new ArgumentOutOfRangeException(nameof(OutputTailLines), OutputTailLines, "Must not be negative.");
        if (Culture is not null && Culture.Length == 0) throw new ArgumentException("Culture is empty; give a name such as \"de-DE\", or null for the child's own.", nameof(Culture));
        if (WorkingDirectory is not null && !Directory.Exists(WorkingDirectory))
        {
            throw new ArgumentException($"WorkingDirectory '{WorkingDirectory}' does not exist.", nameof(WorkingDirectory));
        }
    }
}
