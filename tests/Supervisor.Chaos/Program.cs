using System.Globalization;
using System.Text.Json;
using Supervisor.Chaos;

// ./build.sh chaos [--kills] [tasks]: one JSON line of figures. Exit code 1 if anything was lost, duplicated, wrong or
// hung (with --kills, also if any call failed: default options must carry every call through kills), 2 for bad arguments.
var killsOnly = args.Contains("--kills");
var rest = args.Where(a => a != "--kills").ToList();
var tasks = 0;
if (rest.Count > 1 || (rest.Count == 1 && !(int.TryParse(rest[0], NumberStyles.None, CultureInfo.InvariantCulture, out tasks) && tasks > 0)))
{
    await Console.Error.WriteLineAsync($"chaos: expected [--kills] [tasks], tasks a positive whole number; got '{string.Join(' ', args)}'.");
    return 2;
}
var options = killsOnly ? ChaosOptions.KillsOnly(tasks > 0 ? tasks : 20_000)
    : tasks > 0 ? new ChaosOptions { Tasks = tasks }
    : new ChaosOptions();
var report = await ChaosRun.RunAsync(options);
Console.WriteLine(JsonSerializer.Serialize(report));
var intact = report is { Lost: 0, Duplicated: 0, Hung: 0, Wrong: 0 };
return intact && (!killsOnly || report.FailedAfterRetries == 0) ? 0 : 1;
