using System.Globalization;
using System.Text.Json;
using Supervisor.Chaos;

// ./build.sh chaos [tasks]: one JSON line of figures; exit code 1 if anything was lost, duplicated, wrong or hung.
var options = new ChaosOptions();
if (args.Length > 0) options = options with { Tasks = int.Parse(args[0], CultureInfo.InvariantCulture) };
var report = await ChaosRun.RunAsync(options);
Console.WriteLine(JsonSerializer.Serialize(report));
return report is { Lost: 0, Duplicated: 0, Hung: 0, Wrong: 0 } ? 0 : 1;
