using Supervisor.Testing;

namespace IsolatedTests;

/// <summary>Each test runs its code in a fresh child process; the leak guard checks none is left behind.</summary>
public sealed class ProcessWideTests : LeakGuardedTest
{
    [Fact]
    public async Task A_static_read_from_the_environment_sees_the_tests_value()
    {
        var options = new IsolatedOptions { EnvironmentVariables = new Dictionary<string, string?> { ["APP_MODE"] = "test" } };

        Assert.Equal("test", await Isolated.RunAsync(static () => CodeUnderTest.Mode, options));
        Assert.Equal("production", await Isolated.RunAsync(static () => CodeUnderTest.Mode));
    }

    [Fact]
    public async Task An_environment_change_stays_in_the_child()
    {
        var before = Environment.GetEnvironmentVariable("HTTPS_PROXY");

        var seen = await Isolated.RunAsync(static (string url) =>
        {
            CodeUnderTest.UseProxy(url);
            return Environment.GetEnvironmentVariable("HTTPS_PROXY");
        }, "http://proxy.test:3128");

        Assert.Equal("http://proxy.test:3128", seen);
        Assert.Equal(before, Environment.GetEnvironmentVariable("HTTPS_PROXY"));
    }

    [Fact]
    public async Task The_culture_is_the_childs_alone()
    {
        var culture = await Isolated.RunAsync(static () => System.Globalization.CultureInfo.CurrentCulture.Name, new IsolatedOptions { Culture = "fr-FR" });

        Assert.Equal("fr-FR", culture);
        Assert.Equal("12.50", await Isolated.RunAsync(static (decimal amount) => CodeUnderTest.Price(amount), 12.5m));
    }

    [Fact]
    public async Task Environment_Exit_is_asserted_as_the_expected_exit_code()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-configuration.json");

        await Isolated.RunAsync(static (string path) => CodeUnderTest.RequireConfiguration(path), missing, new IsolatedOptions { ExpectedExitCode = 78 });
    }

    [Fact]
    public async Task A_native_crash_is_asserted_and_the_test_process_lives_on()
    {
        // FailFast aborts: SIGABRT on Unix (−6), STATUS_STACK_BUFFER_OVERRUN on Windows.
        var aborted = OperatingSystem.IsWindows() ? unchecked((int)0xC0000409) : -6;

        await Isolated.RunAsync(static () => CodeUnderTest.Corrupt(), new IsolatedOptions { ExpectedExitCode = aborted });
    }

    [Fact]
    public async Task Memory_a_call_never_frees_goes_with_its_process()
    {
        Assert.Equal(64L << 20, await Isolated.RunAsync(static (int megabytes) => CodeUnderTest.Remember(megabytes), 64));

        Assert.Equal(0, CodeUnderTest.Remembered);
    }

    [Fact]
    public async Task An_assertion_failing_in_the_child_fails_the_test_with_the_childs_stack_trace()
    {
        var failure = await Assert.ThrowsAsync<IsolatedException>(() => Isolated.RunAsync(static () => Assert.Equal("test", CodeUnderTest.Mode)));

        Assert.Equal("Xunit.Sdk.EqualException", failure.ChildType);
        Assert.Contains(nameof(An_assertion_failing_in_the_child_fails_the_test_with_the_childs_stack_trace), failure.StackTrace, StringComparison.Ordinal);
    }
}
