using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Supervisor.Hosting.Tests.Support;
using Supervisor.Tests.Support;
using UserFunctions;

namespace Supervisor.Hosting.Tests.Configuration;

public sealed class RegistrationTests
{
    [Fact]
    public async Task Named_pools_resolve_as_keyed_services_and_the_default_pool_without_a_key()
    {
        var builder = TestHosts.Builder();
        builder.Services.AddProcessPool(o => o.Workers = 1);
        builder.Services.AddProcessPool("images", o => o.Workers = 1);
        builder.Services.AddProcessPool("reports", o => o.Workers = 1);
        builder.Services.AddSingleton<ImageService>();
        await using var host = TestHosts.Build(builder);
        await host.StartAsync();

        var service = host.Services.GetRequiredService<ImageService>();
        var images = host.Services.GetRequiredKeyedService<ProcessPool>("images");
        var reports = host.Services.GetRequiredKeyedService<ProcessPool>("reports");
        Assert.Same(images, service.Images);
        Assert.Same(host.Services.GetRequiredService<ProcessPool>(), service.Default);
        Assert.Equal(3, new[] { service.Default, images, reports }.Distinct().Count());
        Assert.Equal(4, await service.Default.SubmitAsync(Plain.Square, 2));
        Assert.Equal(9, await images.SubmitAsync(Plain.Square, 3));
        Assert.Equal(16, await reports.SubmitAsync(Plain.Square, 4));

        await host.StopAsync();
        ProcessAssert.AllExited([.. service.Default.StartedProcessIds, .. images.StartedProcessIds, .. reports.StartedProcessIds]);
    }

    [Fact]
    public void A_name_registered_twice_is_an_error()
    {
        var services = new ServiceCollection();
        services.AddProcessPool("images");

        var error = Assert.Throws<InvalidOperationException>(() => services.AddProcessPool("images"));

        Assert.Contains("'images' is registered already", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_process_queue_registers_by_name_and_runs_with_the_host()
    {
        var builder = TestHosts.Builder();
        builder.Services.AddProcessQueue<int, int>("squares", Plain.Square, o =>
        {
            o.Workers = 1;
            o.MaxSize = 4;
        });
        await using var host = TestHosts.Build(builder);
        await host.StartAsync();

        var queue = host.Services.GetRequiredKeyedService<ProcessQueue<int, int>>("squares");
        for (var i = 1; i <= 3; i++) await queue.PutAsync(i);
        await queue.PutEndOfQueueAsync();
        var results = new List<int>();
        await foreach (var result in queue.ReadAllAsync()) results.Add(result);

        Assert.Equal([1, 4, 9], results.Order());
        await host.StopAsync();
        ProcessAssert.AllExited(queue.StartedProcessIds);
    }

    /// <summary>A user's service, taking pools in its constructor as ASP.NET Core handlers and hosted services do.</summary>
    private sealed class ImageService(ProcessPool @default, [FromKeyedServices("images")] ProcessPool images)
    {
        public ProcessPool Default { get; } = @default;

        public ProcessPool Images { get; } = images;
    }
}
