using HostingFunctions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Supervisor.Hosting.Tests.Support;

namespace Supervisor.Hosting.Tests.Logging;

public sealed class LoggingTests
{
    [Fact]
    public async Task What_workers_print_is_logged_in_a_category_of_its_own_with_the_worker_and_pid_in_scope()
    {
        var errorLogged = new TaskCompletionSource();
        await using var hosted = await TestHosts.StartPoolAsync(o => o.Workers = 1, services: s => s.Configure<FakeLogCollectorOptions>(o => o.OutputSink = line =>
        {
            if (line.Contains("err: hello", StringComparison.Ordinal)) errorLogged.TrySetResult();
        }));
        var worker = hosted.Pool.Workers.Single();

        Assert.Equal(5, await hosted.Pool.SubmitAsync(Chatter.Print, "hello"));
        // Output lines travel apart from results: the call may return before its lines are logged.
        await errorLogged.Task.WaitAsync(TimeSpan.FromMinutes(1));
        await hosted.StopAsync();

        var records = hosted.Services.GetFakeLogCollector().GetSnapshot().Where(r => r.Category == "Supervisor.Workers.images").ToList();
        var output = Assert.Single(records, r => r.Message == "out: hello");
        var error = Assert.Single(records, r => r.Message == "err: hello");
        Assert.Equal(LogLevel.Information, output.Level);
        Assert.Equal(LogLevel.Warning, error.Level);
        Assert.Equal("WorkerStandardError", error.Id.Name);
        var scope = Assert.Single(output.Scopes.OfType<IEnumerable<KeyValuePair<string, object?>>>());
        Assert.Contains(new KeyValuePair<string, object?>("WorkerName", worker.Name), scope);
        Assert.Contains(new KeyValuePair<string, object?>("ProcessId", worker.ProcessId), scope);
    }

    [Fact]
    public async Task The_pool_logs_its_start_and_stop_under_its_own_category_with_stable_event_ids()
    {
        await using var hosted = await TestHosts.StartPoolAsync(o => o.Workers = 1);
        await hosted.StopAsync();

        var events = hosted.Services.GetFakeLogCollector().GetSnapshot()
            .Where(r => r.Category == "Supervisor.Pools.images").Select(r => (r.Id.Id, r.Id.Name)).ToList();
        Assert.Contains((1000, "PoolStarted"), events);
        Assert.Contains((1002, "PoolDraining"), events);
        Assert.Contains((1003, "PoolStopped"), events);
    }
}
