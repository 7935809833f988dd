using DistributedFunctions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Supervisor.Distributed.Tests.Infrastructure;

namespace Supervisor.Distributed.Tests;

/// <summary>A node as a hosted service of a real host (<c>AddDistributedNode</c>).</summary>
public sealed class HostedNodeTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public async Task A_hosted_node_serves_calls_and_finishes_what_it_holds_when_the_host_stops()
    {
        await using var redis = await TestRedis.StartAsync();
        var gate = Directory.CreateTempSubdirectory("supervisor-hosted-").FullName;
        var logged = new LogLines();
        try
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.ClearProviders().AddProvider(logged);
            builder.Services.AddDistributedNode(new DistributedNodeOptions
            {
                Redis = redis.Configuration,
                Queue = "hosted",
                Assemblies = [Path.Combine(AppContext.BaseDirectory, "DistributedFunctions.dll")],
                Pool = new WorkerOptions { Workers = 2 },
            });
            using var host = builder.Build();
            await host.StartAsync();
            await using var pool = await DistributedPool.ConnectAsync(redis.Configuration, "hosted");
            await using var probe = await QueueProbe.ConnectAsync(redis, "hosted");
            Assert.Equal(36, await pool.SubmitAsync(Calls.Square, 6L).WaitAsync(Patience));
            var held = pool.SubmitAsync(Calls.RunUntilReleased, gate);
            await FileSignal.WaitForAsync(Path.Combine(gate, "started"), Patience);

            var stopping = host.StopAsync();
            await File.WriteAllTextAsync(Path.Combine(gate, "release"), "");

            Assert.Equal("first", await held.WaitAsync(Patience));
            await stopping.WaitAsync(Patience);
            Assert.Equal(0, await probe.PendingAsync());
            // Logged through the host's logging, by the node's own category.
            Assert.Contains(logged.Lines, line => line.StartsWith($"{typeof(DistributedNode).FullName}: Node ", StringComparison.Ordinal) && line.Contains("serves queue hosted", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(gate, recursive: true);
        }
    }

    /// <summary>Keeps what the host logs, as category: message.</summary>
    private sealed class LogLines : ILoggerProvider
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

        public IEnumerable<string> Lines => _lines;

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, System.Collections.Concurrent.ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue($"{category}: {formatter(state, exception)}");
        }
    }
}
