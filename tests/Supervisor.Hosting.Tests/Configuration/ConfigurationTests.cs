using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Supervisor.Hosting.Tests.Support;
using Supervisor.Tests.Support;
using UserFunctions;

namespace Supervisor.Hosting.Tests.Configuration;

public sealed class ConfigurationTests
{
    [Fact]
    public async Task Options_bind_from_configuration_with_times_written_both_ways()
    {
        var builder = TestHosts.Builder(new Dictionary<string, string?>
        {
            ["Supervisor:Pools:images:Workers"] = "2",
            ["Supervisor:Pools:images:TaskTimeout"] = "30s",
            ["Supervisor:Pools:images:StartTimeout"] = "00:00:20",
            ["Supervisor:Pools:images:CancellationGracePeriod"] = "500ms",
            ["Supervisor:Pools:images:StartMethod"] = "spawn",
            ["Supervisor:Pools:images:MaxFrameBytes"] = "2097152",
            ["Supervisor:Pools:images:EnvironmentVariables:APP_MODE"] = "test",
        });
        builder.Services.AddProcessPool("images").BindConfiguration("Supervisor:Pools:images");
        await using var host = TestHosts.Build(builder);

        var options = host.Services.GetRequiredService<IOptionsMonitor<WorkerOptions>>().Get("images");
        Assert.Equal(2, options.Workers);
        Assert.Equal(TimeSpan.FromSeconds(30), options.TaskTimeout);
        Assert.Equal(TimeSpan.FromSeconds(20), options.StartTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.CancellationGracePeriod);
        Assert.Equal(StartMethod.Spawn, options.StartMethod);
        Assert.Equal(2 * 1024 * 1024, options.MaxFrameBytes);
        Assert.Equal("test", options.EnvironmentVariables["APP_MODE"]);

        await host.StartAsync();
        var pool = host.Services.GetRequiredKeyedService<ProcessPool>("images");
        Assert.Equal(2, pool.Workers.Count);
        Assert.Equal(49, await pool.SubmitAsync(Plain.Square, 7));
        await host.StopAsync();
        ProcessAssert.AllExited(pool.StartedProcessIds);
    }

    [Fact]
    public async Task A_value_the_pool_refuses_stops_the_host_before_any_worker_starts_naming_the_key_and_value()
    {
        var builder = TestHosts.Builder(new Dictionary<string, string?> { ["Supervisor:Pools:images:Workers"] = "0" });
        builder.Services.AddProcessPool("other", o => o.Workers = 1);
        builder.Services.AddProcessPool("images").BindConfiguration("Supervisor:Pools:images");
        await using var host = TestHosts.Build(builder);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Supervisor:Pools:images:Workers = '0': At least one worker is needed.", error.Message, StringComparison.Ordinal);
        Assert.Empty(host.Services.GetRequiredKeyedService<ProcessPool>("other").StartedProcessIds);
    }

    [Fact]
    public async Task Unknown_keys_and_values_that_do_not_convert_are_all_named()
    {
        var builder = TestHosts.Builder(new Dictionary<string, string?>
        {
            ["Supervisor:Pools:images:Workers"] = "four",
            ["Supervisor:Pools:images:TaskTimeout"] = "soon",
            ["Supervisor:Pools:images:StartMethod"] = "clone",
            ["Supervisor:Pools:images:Wrokers"] = "3",
            ["Supervisor:Pools:images:Initializer"] = "Work.Init",
        });
        builder.Services.AddProcessPool("images").BindConfiguration("Supervisor:Pools:images");
        await using var host = TestHosts.Build(builder);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Supervisor:Pools:images:Workers = 'four': not a whole number", error.Message, StringComparison.Ordinal);
        Assert.Contains("Supervisor:Pools:images:TaskTimeout = 'soon':", error.Message, StringComparison.Ordinal);
        Assert.Contains("Supervisor:Pools:images:StartMethod = 'clone': not one of Spawn, Fork, Forkserver", error.Message, StringComparison.Ordinal);
        Assert.Contains("Supervisor:Pools:images:Wrokers: WorkerOptions has no option 'Wrokers'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Supervisor:Pools:images:Initializer = 'Work.Init': Initializer is set in code", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_set_in_code_are_checked_too_and_name_the_pool()
    {
        var builder = TestHosts.Builder();
        builder.Services.AddProcessPool("images", o => o.Retries = -1);
        await using var host = TestHosts.Build(builder);

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredKeyedService<ProcessPool>("images"));

        Assert.Contains("WorkerOptions.Retries of pool 'images' = '-1': Must not be negative.", error.Message, StringComparison.Ordinal);
    }
}
