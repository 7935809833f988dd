namespace Supervisor.Benchmarks.Scenarios;

/// <summary>One workload; it emits its own JSON lines and throws <see cref="BenchmarkFailedException"/> on a wrong result.</summary>
internal interface IScenario
{
    /// <summary>The name on its JSON lines and for <c>--only</c>.</summary>
    string Name { get; }

    Task RunAsync(BenchContext context);
}
