using Supervisor.Benchmarks;
using Supervisor.Benchmarks.Scenarios;
using Supervisor.Benchmarks.VersusPython;

// One JSON object per line on stdout, nothing else (with --vs-python: the comparison's report); errors go to stderr. Exit codes: 0 done, 1 a scenario's
// result was wrong, 2 bad arguments.
IScenario[] scenarios =
[
    new StartupScenario(),
    new TinyImapScenario(ordered: true),
    new TinyImapScenario(ordered: false),
    new TinyMapScenario(),
    new QueueSentinelScenario(),
    new CpuScaleScenario(),
    new LatencyScenario(),
    new ReplacementScenario(),
    new IsolatedScenario(),
    new MetricsOverheadScenario(),
    new HostStopScenario(),
    // Before the payload: the 1 MiB buffers it leaves pooled stay in the working set even after a full GC.
    new MemoryScenario(),
    new PayloadEchoScenario(),
];

BenchArguments arguments;
int workers;
try
{
    arguments = BenchArguments.Parse(args);
    workers = BenchArguments.WorkersFromEnvironment();
    var unknown = arguments.Only?.Except(scenarios.Select(s => s.Name)).ToList() ?? [];
    if (unknown.Count > 0) throw new ArgumentException($"unknown scenario {string.Join(", ", unknown)}; known: {string.Join(", ", scenarios.Select(s => s.Name))}.");
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync($"{e.Message}\n{BenchArguments.Usage}");
    return 2;
}

if (arguments.VersusPython is { } versusPython)
{
    try
    {
        await new VersusPythonRun(versusPython, workers, Console.Out).RunAsync();
    }
    catch (BenchmarkFailedException e)
    {
        await Console.Error.WriteLineAsync(e.Message);
        return 1;
    }
    return 0;
}

var sizes = arguments.Quick ? BenchSizes.Quick : BenchSizes.Full;
if (arguments.MemoryTasks is { } memoryTasks) sizes = sizes with { MemoryTasks = memoryTasks };
var context = new BenchContext(workers, sizes, arguments.AotWorker);
try
{
    foreach (var scenario in scenarios.Where(s => arguments.Only?.Contains(s.Name) ?? true)) await scenario.RunAsync(context);
}
catch (BenchmarkFailedException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 1;
}
return 0;
