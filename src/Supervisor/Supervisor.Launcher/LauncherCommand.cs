using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Supervisor.Launcher;

/// <summary>
/// The command line of <c>supervisor</c>: its options and their defaults (the one place they are written: the help
/// shows them and <see cref="LauncherSettings"/> takes them), their checks, and the mapping to the settings.
/// Every usage error exits with code 2 before anything starts.
/// </summary>
internal sealed class LauncherCommand
{
    private readonly Option<string> _assembly = new("--assembly")
    {
        Description = "The .NET assembly (.dll) that holds the function.",
        HelpName = "PATH.dll",
        Required = true,
    };

    private readonly Option<string> _function = new("--function")
    {
        Description = "The function to call: a public static method, as Namespace.Type.Method.",
        HelpName = "Namespace.Type.Method",
        Required = true,
    };

    private readonly Option<string> _input = new("--input")
    {
        Description = "JSON lines, one call each: an object (named arguments), an array (positional arguments) or one value. - reads stdin.",
        HelpName = "in.jsonl",
        Required = true,
    };

    private readonly Option<string> _output = new("--output")
    {
        Description = "Where results go, one JSON line per call, as they arrive. - writes stdout.",
        HelpName = "out.jsonl",
        Required = true,
    };

    private readonly Option<int> _workers = WorkerCommandLineOptions.Workers();

    private readonly Option<string> _startMethod = WorkerCommandLineOptions.StartMethod();

    private readonly Option<int> _maxQueue = new("--max-queue")
    {
        Description = "How many input lines may be read ahead of the calls in flight.",
        HelpName = "N",
        DefaultValueFactory = _ => 1000,
    };

    private readonly Option<int> _maxLineBytes = new("--max-line-bytes")
    {
        Description = "The longest input line, in bytes; a longer line is not held in memory and fails as its own error.",
        HelpName = "N",
        DefaultValueFactory = _ => 64 * 1024 * 1024,
    };

    private readonly Option<bool> _resume = new("--resume")
    {
        Description = "Continue a stopped run: keep the output file's complete lines and run only the lines it lacks (and its NotRun rows).",
    };

    private readonly Option<bool> _unordered = new("--unordered")
    {
        Description = "Write results as they complete instead of in input order.",
    };

    private readonly Option<TimeSpan?> _taskTimeout = WorkerCommandLineOptions.TaskTimeout();

    private readonly Option<int> _retries = WorkerCommandLineOptions.Retries();

    private readonly Option<string[]> _arg = new("--arg")
    {
        Description = "A value fixed for every call, as name=JSON; repeat for more.",
        HelpName = "name=JSON",
        Arity = ArgumentArity.ZeroOrMore,
    };

    private readonly Option<int> _chunkSize = new("--chunk-size")
    {
        Description = "How many calls travel to a worker together.",
        HelpName = "N",
        DefaultValueFactory = _ => 1,
    };

    private readonly Option<string> _redis = new("--redis")
    {
        Description = "Send the calls to the nodes serving --queue on this Redis (e.g. localhost:6379) instead of local workers; start nodes with 'supervisor serve'.",
        HelpName = "HOST:PORT",
    };

    private readonly Option<string> _queue = new("--queue")
    {
        Description = "With --redis: the queue whose nodes run the calls.",
        HelpName = "NAME",
    };

    // Not a RootCommand: that one names itself after the executable (Supervisor.Launcher), not the tool.
    private readonly Command _root = new("supervisor", "Calls a .NET function once per JSON line of the input, in a pool of worker processes, and writes one JSON line per result.");

    private LauncherCommand()
    {
        WorkerCommandLineOptions.AtLeast(_maxQueue, 1);
        WorkerCommandLineOptions.AtLeast(_chunkSize, 1);
        WorkerCommandLineOptions.AtLeast(_maxLineBytes, 1);
        _arg.Validators.Add(result =>
        {
            foreach (var text in result.GetValueOrDefault<string[]>() ?? [])
            {
                if (text.IndexOf('=', StringComparison.Ordinal) <= 0) result.AddError($"--arg '{text}' is not of the form name=JSON.");
            }
        });
        _root.Validators.Add(CheckCluster);
        foreach (var option in new Option[] { _assembly, _function, _input, _output, _workers, _startMethod, _maxQueue, _maxLineBytes, _unordered, _resume, _taskTimeout, _retries, _arg, _chunkSize, _redis, _queue, new HelpOption(), new VersionOption() })
        {
            _root.Options.Add(option);
        }
        _root.SetAction((result, cancellationToken) => new LaunchRun(ToSettings(result), Console.Error).RunAsync(cancellationToken));
        _root.Subcommands.Add(ServeCommand.Create());
    }

    /// <summary>Parses <paramref name="args"/> and runs the launcher; returns the process exit code.</summary>
    public static async Task<int> InvokeAsync(string[] args)
    {
        var result = new LauncherCommand()._root.Parse(args);
        // System.CommandLine reports parse errors with exit code 1, which here means "a call failed".
        if (result.Action is ParseErrorAction)
        {
            foreach (var error in result.Errors) await Console.Error.WriteLineAsync($"supervisor: {error.Message}");
            await Console.Error.WriteLineAsync("Run 'supervisor --help' for usage.");
            return ExitCodes.Usage;
        }
        // The launcher handles Ctrl-C itself, in two steps (see Interruption).
        return await result.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }

    private LauncherSettings ToSettings(ParseResult result) => new()
    {
        AssemblyPath = result.GetRequiredValue(_assembly),
        FunctionName = result.GetRequiredValue(_function),
        InputPath = result.GetRequiredValue(_input),
        OutputPath = result.GetRequiredValue(_output),
        Workers = result.GetValue(_workers),
        StartMethod = WorkerCommandLineOptions.StartMethodOf(result, _startMethod),
        MaxQueue = result.GetValue(_maxQueue),
        MaxLineBytes = result.GetValue(_maxLineBytes),
        Unordered = result.GetValue(_unordered),
        Resume = result.GetValue(_resume),
        TaskTimeout = result.GetValue(_taskTimeout),
        Retries = result.GetValue(_retries),
        ChunkSize = result.GetValue(_chunkSize),
        FixedArguments = [.. (result.GetValue(_arg) ?? []).Select(SplitArg)],
        Redis = result.GetValue(_redis),
        Queue = result.GetValue(_queue),
    };

    // --redis and --queue go together; the options of local workers mean nothing to a cluster (its nodes' own decide).
    private void CheckCluster(CommandResult result)
    {
        var redis = result.GetResult(_redis) is not null;
        var queue = result.GetResult(_queue) is not null;
        if (redis != queue)
        {
            result.AddError(redis ? "--redis needs --queue: name the queue the nodes serve." : "--queue needs --redis: name the Redis the nodes serve it on.");
            return;
        }
        if (!redis) return;
        foreach (var option in new Option[] { _workers, _startMethod, _retries, _taskTimeout })
        {
            if (result.GetResult(option) is { Implicit: false })
            {
                result.AddError($"{option.Name} sets up local workers; with --redis the nodes run the calls: give it to 'supervisor serve' instead.");
            }
        }
    }

    private static KeyValuePair<string, string> SplitArg(string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        return new(text[..equals], text[(equals + 1)..]);
    }
}
