using System.Globalization;

namespace Supervisor.Benchmarks;

/// <summary>
/// The command line: <c>[--quick] [--only name[,name]] [--memory-tasks n[,n]] [--aot-worker path]</c>; W comes from the
/// environment as in python_mp.py. <c>--aot-worker</c> names a published Supervisor.Benchmarks.AotWorker, which the
/// startup scenario then times too.
/// </summary>
internal sealed record BenchArguments(bool Quick, IReadOnlySet<string>? Only, IReadOnlyList<long>? MemoryTasks, string? AotWorker)
{
    public const string Usage = "usage: Supervisor.Benchmarks [--quick] [--only name[,name]] [--memory-tasks n[,n]] [--aot-worker path]   (env W: workers, default: cores)";

    /// <summary>Parses <paramref name="args"/>; an unknown option or a bad value throws <see cref="ArgumentException"/>.</summary>
    public static BenchArguments Parse(IReadOnlyList<string> args)
    {
        var quick = false;
        HashSet<string>? only = null;
        List<long>? memoryTasks = null;
        string? aotWorker = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--only":
                    only = [.. Values(args, ++i)];
                    break;
                case "--memory-tasks":
                    memoryTasks = [.. Values(args, ++i).Select(v => long.TryParse(v, CultureInfo.InvariantCulture, out var n) && n > 0
                        ? n : throw new ArgumentException($"--memory-tasks: '{v}' is not a positive count."))];
                    break;
                case "--aot-worker":
                    aotWorker = ++i < args.Count ? args[i] : throw new ArgumentException("--aot-worker needs a value.");
                    if (!File.Exists(aotWorker)) throw new ArgumentException($"--aot-worker: no file at '{aotWorker}'.");
                    break;
                default:
                    throw new ArgumentException($"unknown argument '{args[i]}'.");
            }
        }
        return new BenchArguments(quick, only, memoryTasks, aotWorker);
    }

    /// <summary>python's W = int(os.environ.get("W", os.cpu_count())).</summary>
    public static int WorkersFromEnvironment()
    {
        var text = Environment.GetEnvironmentVariable("W");
        if (string.IsNullOrEmpty(text)) return Environment.ProcessorCount;
        return int.TryParse(text, CultureInfo.InvariantCulture, out var w) && w > 0
            ? w : throw new ArgumentException($"W='{text}' is not a positive worker count.");
    }

    private static string[] Values(IReadOnlyList<string> args, int index) =>
        index < args.Count
            ? args[index].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : throw new ArgumentException($"{args[index - 1]} needs a value.");
}
