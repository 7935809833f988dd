using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Supervisor;
using Supervisor.Distributed;

// DistributedNodeHost <redis> <queue> <assembly> <workers> <claim-idle-ms> <max-deliveries>
// Prints "ready" once it takes calls; SIGINT or SIGTERM stops it as Ctrl-C does: finish what it holds, then exit 0.
// Its stdin is the test's pipe: when it ends (the test process died), the node exits at once, leaving no process behind.
_ = Task.Run(() =>
{
    Console.In.ReadToEnd();
    Environment.Exit(3);
});
using var logging = LoggerFactory.Create(builder => builder.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
var options = new DistributedNodeOptions
{
    Redis = args[0],
    Queue = args[1],
    Assemblies = [args[2]],
    Pool = new WorkerOptions { Workers = int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) },
    ClaimIdleTime = TimeSpan.FromMilliseconds(int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture)),
    MaxDeliveries = int.Parse(args[5], System.Globalization.CultureInfo.InvariantCulture),
    Logger = logging.CreateLogger("node"),
};
await using var node = await DistributedNode.StartAsync(options);
using var stop = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
Console.WriteLine("ready");
await node.Completion;
return 0;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    _ = node.StopAsync();
}
