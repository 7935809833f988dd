using System.Globalization;
using System.Reflection;

namespace Supervisor.Benchmarks.VersusPython;

/// <summary>
/// <c>--vs-python</c>: runs our benchmark and Python's peer alternately in fresh processes, A B A B, and prints each
/// pair's figures side by side with the ratio (above 1: ours is faster), then the medians per scenario, with the
/// load average before, during and after (before must be quiet; during, the runs' own share of the cores is allowed). A ratio is only worth its sitting: both sides share the same minutes.
/// </summary>
internal sealed class VersusPythonRun(VersusPythonOptions options, int workers, TextWriter output)
{
    private readonly List<double> _loads = [];

    /// <summary>Runs every pair and prints the report; a side's non-zero exit throws <see cref="BenchmarkFailedException"/>.</summary>
    public async Task RunAsync()
    {
        // A quick run is a smoke run, never a sitting to quote: it does not wait for the machine.
        if (!options.OurArguments.Contains("--quick")) await SettleAsync();
        var before = SampleLoad();
        output.WriteLine($"vs-python: W={workers}, {options.Pairs} pairs (ours, then Python), load average before: {before ?? "unknown"}");
        var python = PythonSide();
        if (python is null) output.WriteLine("vs-python: Python's side is skipped.");
        else if (options.OurArguments.Contains("--quick")) output.WriteLine("vs-python: --quick shrinks our sizes only; Python's peer runs its full sizes, so the ratios compare unlike work.");

        var ours = new List<IReadOnlyList<Figure>>();
        var theirs = new List<IReadOnlyList<Figure>>();
        for (var pair = 1; pair <= options.Pairs; pair++)
        {
            var (ourFile, ourArguments) = OurCommand();
            ours.Add(await SideRun.RunAsync(ourFile, ourArguments, workers, "ours")
                ?? throw new BenchmarkFailedException($"ours: could not start '{ourFile}'."));
            SampleLoad();
            if (python is not null)
            {
                var peer = await SideRun.RunAsync(python, [options.Peer], workers, "Python");
                if (peer is null)
                {
                    output.WriteLine($"vs-python: Python is missing ('{python}' could not be started); Python's side is skipped.");
                    python = null;
                }
                else
                {
                    theirs.Add(peer);
                    SampleLoad();
                }
            }
            PrintPair(pair, ours[^1], python is null ? [] : theirs[^1]);
        }
        PrintMedians(ours, theirs);

        var after = SampleLoad();
        output.WriteLine($"vs-python: load average after: {after ?? "unknown"}");
        WarnUnlessQuiet();
    }

    private string? PythonSide()
    {
        if (!File.Exists(options.Peer))
        {
            output.WriteLine($"vs-python: Python's peer benchmark is missing: no file at '{Path.GetFullPath(options.Peer)}' (--peer names it).");
            return null;
        }
        return options.Python;
    }

    /// <summary>This very benchmark again, in a fresh process so that its first-run lines are first runs.</summary>
    private (string FileName, IReadOnlyList<string> Arguments) OurCommand()
    {
        var host = Environment.ProcessPath ?? throw new BenchmarkFailedException("ours: the path of this process is unknown.");
        var assembly = Assembly.GetExecutingAssembly().Location;
        return Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            ? (host, [assembly, .. options.OurArguments])
            : (host, options.OurArguments);
    }

    private void PrintPair(int pair, IReadOnlyList<Figure> ours, IReadOnlyList<Figure> python)
    {
        foreach (var figure in ours)
        {
            var line = $"pair {pair}  {figure.Label,-44} ours {Number(figure.Value),12} {figure.Unit,-10}";
            if (python.FirstOrDefault(p => p.Key == figure.Key) is { } peer)
                line += $"  Python {Number(peer.Value),12}  ours/Python {figure.Ratio(figure.Value, peer.Value),7:0.00}x";
            output.WriteLine(line.TrimEnd());
        }
        output.Flush();
    }

    private void PrintMedians(List<IReadOnlyList<Figure>> ours, List<IReadOnlyList<Figure>> theirs)
    {
        output.WriteLine($"medians over {ours.Count} pairs (ratio above 1: ours is faster):");
        foreach (var label in ours.SelectMany(run => run.Select(f => f.Label)).Distinct())
        {
            var mine = ours.SelectMany(run => run.Where(f => f.Label == label)).ToList();
            var figure = mine[0];
            var ourMedian = Median(mine.Select(f => f.Value));
            var line = $"median  {label,-44} ours {Number(ourMedian),12} {figure.Unit,-10}";
            var peers = theirs.SelectMany(run => run.Where(f => f.Key == figure.Key)).Select(f => f.Value).ToList();
            if (peers.Count > 0)
            {
                var peerMedian = Median(peers);
                line += $"  Python {Number(peerMedian),12}  ours/Python {figure.Ratio(ourMedian, peerMedian),7:0.00}x";
            }
            output.WriteLine(line.TrimEnd());
        }
    }

    // The build before the sitting (and the NativeAOT worker's publish) loads the machine for a minute: let the
    // 1-minute load average fall below the limit first, up to three minutes, saying so.
    private async Task SettleAsync()
    {
        var waited = TimeSpan.Zero;
        var step = TimeSpan.FromSeconds(5);
        while (LoadAverage.OneMinute(LoadAverage.Read()) is { } load && load > LoadAverage.QuietLimit && waited < TimeSpan.FromMinutes(3))
        {
            if (waited == TimeSpan.Zero) output.WriteLine($"vs-python: waiting for the 1-minute load average ({Format(load)}) to fall below {Format(LoadAverage.QuietLimit)}, at most 3 minutes");
            await Task.Delay(step);
            waited += step;
        }
    }

    private string? SampleLoad()
    {
        var load = LoadAverage.Read();
        if (LoadAverage.OneMinute(load) is { } oneMinute) _loads.Add(oneMinute);
        return load;
    }

    // The runs load the machine themselves (the workers and the process that feeds them), so a reading taken during
    // the sitting is judged against that share; the one taken before it must be quiet outright.
    private void WarnUnlessQuiet()
    {
        if (_loads.Count == 0)
        {
            output.WriteLine("vs-python: the load average cannot be read on this OS: whether the machine was quiet is unknown.");
            return;
        }
        var before = _loads[0];
        var duringLimit = LoadAverage.QuietLimit + workers + 1;
        var during = _loads.Skip(1).DefaultIfEmpty(0).Max();
        string? reason = null;
        if (before > LoadAverage.QuietLimit) reason = $"1-minute load average {Format(before)} before the runs (above {Format(LoadAverage.QuietLimit)})";
        else if (during > duringLimit) reason = $"1-minute load average up to {Format(during)} during the runs (above {Format(duringLimit)}, the runs' own share plus {Format(LoadAverage.QuietLimit)})";
        if (reason is null) return;
        output.WriteLine("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
        output.WriteLine($"!!! WARNING: the machine was NOT quiet: {reason}.");
        output.WriteLine("!!! Other work shared the cores; these ratios are not worth quoting as the project's figures.");
        output.WriteLine("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
    }

    private static string Format(double load) => load.ToString("0.00", CultureInfo.InvariantCulture);

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static string Number(double value) => value.ToString(value >= 100 ? "#,0" : "0.###", CultureInfo.InvariantCulture);
}
