using System.Globalization;
using System.Text.Json;
using DistributedCluster;
using Supervisor.Chaos;
using Supervisor.Chaos.Distributed;

// ./build.sh chaos [--kills | --distributed] [tasks]: one JSON line of figures. Exit code 1 if anything was lost,
// duplicated, wrong or hung (with --kills or --distributed, also if any call failed: kills must cost no call), 2 for
// bad arguments (or, for --distributed, no redis-server).
var killsOnly = args.Contains("--kills");
var distributed = args.Contains("--distributed");
var rest = args.Where(a => a is not "--kills" and not "--distributed").ToList();
var tasks = 0;
if ((killsOnly && distributed) || rest.Count > 1 || (rest.Count == 1 && !(int.TryParse(rest[0], NumberStyles.None, CultureInfo.InvariantCulture, out tasks) && tasks > 0)))
{
    await Console.Error.WriteLineAsync($"chaos: expected [--kills | --distributed] [tasks], tasks a positive whole number; got '{string.Join(' ', args)}'.");
    return 2;
}
if (distributed)
{
    if (!RedisServer.IsInstalled)
    {
        await Console.Error.WriteLineAsync($"chaos --distributed: {RedisServer.InstallAdvice}.");
        return 2;
    }
    var run = await DistributedChaosRun.RunAsync(new DistributedChaosOptions { Calls = tasks > 0 ? tasks : 20_000 });
    Console.WriteLine(JsonSerializer.Serialize(run));
    return run.Intact ? 0 : 1;
}
var options = killsOnly ? ChaosOptions.KillsOnly(tasks > 0 ? tasks : 20_000)
    : tasks > 0 ? new ChaosOptions { Tasks = tasks }
    : new ChaosOptions();
var report = await ChaosRun.RunAsync(options);
Console.WriteLine(JsonSerializer.Serialize(report));
var intact = report is { Lost: 0, Duplicated: 0, Hung: 0, Wrong: 0 };
return intact && (!killsOnly || report.FailedAfterRetries == 0) ? 0 : 1;
