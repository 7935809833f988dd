using System.CommandLine;
using System.CommandLine.Parsing;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Supervisor.Distributed;

namespace Supervisor.Launcher;

/// <summary>
/// <c>supervisor serve --redis HOST:PORT --queue NAME --assembly PATH.dll [--workers N]</c>: runs a distributed node
/// until Ctrl-C (or SIGTERM), which stops taking calls and finishes, stores and acknowledges those held; a second
/// Ctrl-C exits at once, leaving them to be claimed by other nodes.
/// </summary>
internal static class ServeCommand
{
    /// <summary>The <c>serve</c> command, its options and their defaults.</summary>
    public static Command Create()
    {
        var redis = new Option<string>("--redis") { Description = "The Redis to reach, e.g. localhost:6379 (StackExchange.Redis syntax).", HelpName = "HOST:PORT", Required = true };
        var queue = new Option<string>("--queue") { Description = "The queue to serve.", HelpName = "NAME", Required = true };
        var assembly = new Option<string[]>("--assembly")
        {
            Description = "An assembly whose functions this node runs; repeat for more. Calls for another assembly or version are answered with an error.",
            HelpName = "PATH.dll",
            Required = true,
            Arity = ArgumentArity.OneOrMore,
        };
        var workers = WorkerCommandLineOptions.Workers();
        var startMethod = WorkerCommandLineOptions.StartMethod();
        var retries = WorkerCommandLineOptions.Retries();
        var taskTimeout = WorkerCommandLineOptions.TaskTimeout();
        var claimIdle = new Option<TimeSpan>("--claim-idle")
        {
            Description = "How long a call may sit with a silent node before another node claims it, e.g. 30s.",
            HelpName = "DURATION",
            DefaultValueFactory = _ => TimeSpan.FromSeconds(30),
            CustomParser = result => WorkerCommandLineOptions.ParseDuration(result) ?? TimeSpan.Zero,
        };
        var maxDeliveries = WorkerCommandLineOptions.AtLeast(
            new Option<int>("--max-deliveries") { Description = "Deliveries of a call before it goes to the dead-letter stream.", HelpName = "N", DefaultValueFactory = _ => 3 }, 1);
        var command = new Command("serve", "Runs a node: takes calls from a Redis queue and runs them in a pool of worker processes, until Ctrl-C.")
        {
            redis, queue, assembly, workers, startMethod, retries, taskTimeout, claimIdle, maxDeliveries,
        };
        command.SetAction((result, cancellationToken) => RunAsync(new DistributedNodeOptions
        {
            Redis = result.GetRequiredValue(redis),
            Queue = result.GetRequiredValue(queue),
            Assemblies = result.GetRequiredValue(assembly),
            Pool = new WorkerOptions
            {
                Workers = result.GetValue(workers),
                StartMethod = WorkerCommandLineOptions.StartMethodOf(result, startMethod),
                Retries = result.GetValue(retries),
                TaskTimeout = result.GetValue(taskTimeout),
            },
            ClaimIdleTime = result.GetValue(claimIdle),
            MaxDeliveries = result.GetValue(maxDeliveries),
        }, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(DistributedNodeOptions options, CancellationToken cancellationToken)
    {
        using var logging = ConsoleLogging.Create(LogLevel.Information);
        // Listening before the node starts: a Ctrl-C during the start (which waits for Redis as long as it is away) ends it.
        using var interruption = new Interruption(Console.Error, cancellationToken);
        using var starting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, interruption.Stop);
        DistributedNode node;
        try
        {
            node = await DistributedNode.StartAsync(options with { Logger = logging.CreateLogger("supervisor.serve") }, starting.Token);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"supervisor serve: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException) when (interruption.Interrupted)
        {
            return interruption.ExitCode;
        }
        using var stop = interruption.Stop.Register(() => _ = node.StopAsync());
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            _ = node.StopAsync();
        });
        var aborted = new TaskCompletionSource();
        using var abort = interruption.Abort.Register(() => aborted.TrySetResult());
        if (await Task.WhenAny(node.Completion, aborted.Task) == aborted.Task)
        {
            // The second Ctrl-C: the calls held stay unacknowledged, for other nodes to claim; the workers end with this process.
            return ExitCodes.Interrupted;
        }
        await node.DisposeAsync();
        return interruption.Interrupted ? ExitCodes.Interrupted : ExitCodes.Success;
    }
}
