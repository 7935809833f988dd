namespace Supervisor.Launcher;

/// <summary>
/// What the command line asked for, parsed and range-checked but not yet resolved against files. Every value is
/// required: the defaults are the options' own (<see cref="LauncherCommand"/>), the ones its help shows.
/// </summary>
internal sealed record LauncherSettings
{
    /// <summary>The value of <c>--input</c> and <c>--output</c> that means stdin and stdout.</summary>
    public const string StandardStream = "-";

    /// <summary>The assembly that holds the function.</summary>
    public required string AssemblyPath { get; init; }

    /// <summary><c>Namespace.Type.Method</c>.</summary>
    public required string FunctionName { get; init; }

    /// <summary>The JSON-lines input file, or <see cref="StandardStream"/>.</summary>
    public required string InputPath { get; init; }

    /// <summary>The JSON-lines output file, or <see cref="StandardStream"/>.</summary>
    public required string OutputPath { get; init; }

    /// <summary>How many worker processes.</summary>
    public required int Workers { get; init; }

    /// <summary>How workers come to life.</summary>
    public required StartMethod StartMethod { get; init; }

    /// <summary>How many input lines may be read ahead of the calls in flight.</summary>
    public required int MaxQueue { get; init; }

    /// <summary>The longest input line, in bytes; a longer one is a per-line error.</summary>
    public required int MaxLineBytes { get; init; }

    /// <summary>Results in completion order instead of input order.</summary>
    public required bool Unordered { get; init; }

    /// <summary>Keep the output file's complete lines and run only the lines it lacks.</summary>
    public required bool Resume { get; init; }

    /// <summary>The longest a call may run, or null for no limit.</summary>
    public required TimeSpan? TaskTimeout { get; init; }

    /// <summary>How many more times a call runs when its worker dies.</summary>
    public required int Retries { get; init; }

    /// <summary>How many calls travel to a worker together.</summary>
    public required int ChunkSize { get; init; }

    /// <summary>Arguments fixed for every call, as (parameter name, JSON text) in command-line order.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> FixedArguments { get; init; }

    /// <summary>The Redis whose nodes run the calls (with <see cref="Queue"/>), or null for local workers.</summary>
    public string? Redis { get; init; }

    /// <summary>The queue those nodes serve, or null for local workers.</summary>
    public string? Queue { get; init; }

    /// <summary>True when input comes from stdin.</summary>
    public bool InputIsStandard => InputPath == StandardStream;

    /// <summary>True when results go to stdout.</summary>
    public bool OutputIsStandard => OutputPath == StandardStream;
}
