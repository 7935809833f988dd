using System.Globalization;
using Supervisor.Benchmarks.VersusPython;

namespace Supervisor.Benchmarks;

/// <summary>
/// The command line: <c>[--quick] [--only name[,name]] [--memory-tasks n[,n]] [--aot-worker path]</c>; W comes from the
/// environment as in python_mp.py. <c>--aot-worker</c> names a published Supervisor.Benchmarks.AotWorker, which the
/// startup scenario then times too. <c>--vs-python [--pairs n] [--python exe] [--peer path]</c> runs the rest of the
/// command line in fresh processes alternately with Python's peer (<see cref="VersusPython"/>).
/// </summary>
internal sealed record BenchArguments(bool Quick, IReadOnlySet<string>? Only, IReadOnlyList<long>? MemoryTasks, string? AotWorker, VersusPythonOptions? VersusPython)
{
    public const string Usage = "usage: Supervisor.Benchmarks [--quick] [--only name[,name]] [--memory-tasks n[,n]] [--aot-worker path]\n" +
        "                             [--vs-python [--pairs n (default 3)] [--python exe (default python3)] [--peer path (default ../shared/bench/python_mp.py)]]\n" +
        "       (env W: workers, default: cores)";

    /// <summary>Parses <paramref name="args"/>; an unknown option or a bad value throws <see cref="ArgumentException"/>.</summary>
    public static BenchArguments Parse(IReadOnlyList<string> args)
    {
        var quick = false;
        HashSet<string>? only = null;
        List<long>? memoryTasks = null;
        string? aotWorker = null;
        var versusPython = false;
        var pairs = VersusPythonOptions.DefaultPairs;
        var python = VersusPythonOptions.DefaultPython;
        var peer = VersusPythonOptions.DefaultPeer;
        var ours = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var start = i;
            switch (args[i])
            {
                case "--vs-python":
                    versusPython = true;
                    continue;
                case "--pairs":
                    pairs = ++i < args.Count && int.TryParse(args[i], CultureInfo.InvariantCulture, out var p) && p > 0
                        ? p : throw new ArgumentException("--pairs needs a positive count.");
                    continue;
                case "--python":
                    python = ++i < args.Count ? args[i] : throw new ArgumentException("--python needs a value.");
                    continue;
                case "--peer":
                    peer = ++i < args.Count ? args[i] : throw new ArgumentException("--peer needs a value.");
                    continue;
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
            ours.AddRange(args.Skip(start).Take(i - start + 1));
        }
        return new BenchArguments(quick, only, memoryTasks, aotWorker,
            versusPython ? new VersusPythonOptions(pairs, python, peer, ours) : null);
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
