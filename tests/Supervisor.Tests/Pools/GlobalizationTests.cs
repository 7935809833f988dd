using Supervisor.Tests.Support;
using UserFunctions;

namespace Supervisor.Tests.Pools;

/// <summary>The bundled worker behaves like a default .NET app (culture data from the OS); invariant mode is the user's choice.</summary>
public sealed class GlobalizationTests
{
    private readonly QuietOutput _output = new();

    [Fact]
    public async Task A_function_formatting_for_a_named_culture_works_in_the_default_worker()
    {
        await using var pool = await ProcessPool.StartAsync(_output.Options(1));

        Assert.Equal("1.234,50", await pool.SubmitAsync(Cultures.German, 1234.5));
    }

    [Fact]
    public async Task Invariant_mode_turned_on_through_the_workers_environment_has_no_named_cultures()
    {
        var options = _output.Options(1) with
        {
            EnvironmentVariables = new Dictionary<string, string?> { ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "true" },
        };
        await using var pool = await ProcessPool.StartAsync(options);

        var error = await Assert.ThrowsAsync<RemoteTaskException>(() => pool.SubmitAsync(Cultures.German, 1234.5));
        Assert.Equal(typeof(System.Globalization.CultureNotFoundException).FullName, error.RemoteType);
    }
}
