using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Supervisor.Hosting.Tests.Support;

/// <summary>Real hosts for the tests: Host.CreateApplicationBuilder with the test's settings and the fake log collector.</summary>
internal static class TestHosts
{
    public static HostApplicationBuilder Builder(IDictionary<string, string?>? settings = null)
    {
        // No defaults: neither the test runner's environment nor an appsettings.json in its folder should reach the test.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.AddFakeLogging();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        return builder;
    }

    /// <summary>
    /// Builds the host, to be disposed with <c>await using</c>: a test that fails before it stops its host must not
    /// block a thread of xunit's synchronization context in a synchronous Dispose while the pools end.
    /// </summary>
    public static TestHost Build(this HostApplicationBuilder builder) => new(builder.Build());
}
