using System.Text.Json;

namespace Supervisor.Benchmarks.VersusPython;

/// <summary>
/// The one number of a benchmark line that is compared, under a key that both sides' lines share. Python's peer
/// prints each scenario once; ours adds <c>_warm</c> lines and <c>"worker":"aot"</c> lines, which are compared with
/// Python's line of the same scenario and shown under their own <see cref="Label"/>.
/// </summary>
/// <param name="Key">The scenario, with the start method for startup: what a Python line is matched by.</param>
/// <param name="Label">The key plus our variant (warm, aot worker): one row of the comparison.</param>
/// <param name="Unit">ms, tasks/s, MiB/s or efficiency.</param>
/// <param name="Value">The figure.</param>
/// <param name="LowerIsBetter">True for times: the ratio is then Python's over ours, so above 1 always means we are faster.</param>
internal sealed record Figure(string Key, string Label, string Unit, double Value, bool LowerIsBetter)
{
    private const string WarmSuffix = "_warm";

    /// <summary>The figure of one JSON line, or null for a line with nothing to compare (latency, memory, replacement).</summary>
    public static Figure? FromLine(string line)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("scenario", out var scenarioElement)) return null;
        var scenario = scenarioElement.GetString() ?? "";
        var variants = new List<string>();
        if (scenario.EndsWith(WarmSuffix, StringComparison.Ordinal))
        {
            scenario = scenario[..^WarmSuffix.Length];
            variants.Add("warm");
        }
        if (root.TryGetProperty("worker", out var worker)) variants.Add($"{worker.GetString()} worker");
        var key = root.TryGetProperty("method", out var method) ? $"{scenario} {method.GetString()}" : scenario;
        var label = variants.Count == 0 ? key : $"{key} ({string.Join(", ", variants)})";

        if (root.TryGetProperty("ms", out var ms)) return new Figure(key, label, "ms", ms.GetDouble(), LowerIsBetter: true);
        if (root.TryGetProperty("tasks_per_s", out var rate)) return new Figure(key, label, "tasks/s", rate.GetDouble(), LowerIsBetter: false);
        if (root.TryGetProperty("mb_per_s_each_way", out var bandwidth)) return new Figure(key, label, "MiB/s", bandwidth.GetDouble(), LowerIsBetter: false);
        if (root.TryGetProperty("efficiency", out var efficiency)) return new Figure(key, label, "efficiency", efficiency.GetDouble(), LowerIsBetter: false);
        return null;
    }

    /// <summary><paramref name="ours"/> against <paramref name="python"/> in this figure's unit, oriented so that above 1 means ours is faster.</summary>
    public double Ratio(double ours, double python) => LowerIsBetter ? python / ours : ours / python;
}
