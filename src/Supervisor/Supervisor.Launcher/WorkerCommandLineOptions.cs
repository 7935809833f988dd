using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Supervisor.Launcher;

/// <summary>
/// The options that set up a pool's workers, written once for a local run and for <c>serve</c> (each command gets
/// instances of its own), with their defaults and checks.
/// </summary>
internal static class WorkerCommandLineOptions
{
    public static Option<int> Workers() => AtLeast(new Option<int>("--workers")
    {
        Description = "How many worker processes.",
        HelpName = "N",
        DefaultValueFactory = _ => Environment.ProcessorCount,
    }, 1);

    public static Option<string> StartMethod()
    {
        var option = new Option<string>("--start-method")
        {
            Description = "How workers start: spawn (fresh), fork (fresh; the launcher declares no inherited state) or forkserver (warm spares replace crashed workers).",
            DefaultValueFactory = _ => "spawn",
        };
        option.AcceptOnlyFromAmong("spawn", "fork", "forkserver");
        return option;
    }

    public static Option<TimeSpan?> TaskTimeout() => new("--task-timeout")
    {
        Description = "The longest one call may run, e.g. 500ms, 30s, 2m; past it the worker is killed and replaced, and the call fails with TaskTimeout.",
        HelpName = "DURATION",
        CustomParser = ParseDuration,
    };

    public static Option<int> Retries() => AtLeast(new Option<int>("--retries")
    {
        Description = "How many more times a call runs when its worker dies (not when the call itself throws).",
        HelpName = "N",
        DefaultValueFactory = _ => new WorkerOptions().Retries,
    }, 0);

    /// <summary>The start method <paramref name="option"/> names (its values are checked by the parser).</summary>
    public static StartMethod StartMethodOf(ParseResult result, Option<string> option) =>
        Enum.Parse<StartMethod>(result.GetRequiredValue(option), ignoreCase: true);

    /// <summary>Adds the check that <paramref name="option"/> is at least <paramref name="minimum"/>.</summary>
    public static Option<int> AtLeast(Option<int> option, int minimum)
    {
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<int>();
            if (value < minimum) result.AddError($"{option.Name} must be at least {minimum.ToString(CultureInfo.InvariantCulture)} (got {value.ToString(CultureInfo.InvariantCulture)}).");
        });
        return option;
    }

    /// <summary>A duration such as 500ms, 30s, 2m or 00:00:30; a wrong one is an error naming its option.</summary>
    public static TimeSpan? ParseDuration(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (DurationParser.TryParse(text, out var duration, out var error)) return duration;
        var name = result.Parent is OptionResult option ? option.Option.Name : result.Argument.Name;
        result.AddError($"{name}: {error}");
        return null;
    }
}
