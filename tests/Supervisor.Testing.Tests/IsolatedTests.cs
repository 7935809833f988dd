using System.Globalization;
using Supervisor.Protocol.Serialization;

namespace Supervisor.Testing.Tests;

public sealed class IsolatedTests
{
    public static int Threshold { get; set; }

    private static int Twice(int x) => 2 * x;

    [Fact]
    public async Task Returns_the_typed_result_of_a_call_in_another_process()
    {
        Assert.Equal(42, await Isolated.RunAsync(static (int x) => Twice(x), 21));
        Assert.NotEqual(Environment.ProcessId, await Isolated.RunAsync(static () => Environment.ProcessId));
        Assert.Equal("ab", await Isolated.RunAsync(static (string a, string b) => a + b, "a", "b"));
    }

    [Fact]
    public async Task What_the_child_changes_stays_in_the_child()
    {
        await Isolated.RunAsync(static (string name) => Environment.SetEnvironmentVariable(name, "changed"), "SUPERVISOR_TESTING_CHANGED");

        Assert.Null(Environment.GetEnvironmentVariable("SUPERVISOR_TESTING_CHANGED"));
    }

    [Fact]
    public async Task An_assertion_failing_in_the_child_comes_back_with_its_type_message_and_stack_trace()
    {
        var failure = await Assert.ThrowsAsync<IsolatedException>(() => Isolated.RunAsync(static () => Assert.Equal(1, 2)));

        Assert.Equal("Xunit.Sdk.EqualException", failure.ChildType);
        Assert.StartsWith("Xunit.Sdk.EqualException: Assert.Equal() Failure", failure.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(An_assertion_failing_in_the_child_comes_back_with_its_type_message_and_stack_trace), failure.ChildStackTrace, StringComparison.Ordinal);
        // The stack trace shows the child's frames down to the lambda, without the worker's own below it.
        Assert.Contains(nameof(An_assertion_failing_in_the_child_comes_back_with_its_type_message_and_stack_trace), failure.StackTrace!.Split("--- end of the child")[0], StringComparison.Ordinal);
        Assert.DoesNotContain("Supervisor.Worker", failure.StackTrace.Split("--- end of the child")[0], StringComparison.Ordinal);
        Assert.Contains("Supervisor.Worker", failure.ChildStackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_child_gets_the_environment_culture_and_working_directory_asked_for()
    {
        var directory = Directory.CreateTempSubdirectory("supervisor-testing-").FullName;
        try
        {
            var options = new IsolatedOptions
            {
                EnvironmentVariables = new Dictionary<string, string?> { ["SUPERVISOR_TESTING_MODE"] = "isolated" },
                Culture = "de-DE",
                WorkingDirectory = directory,
            };

            var seen = await Isolated.RunAsync(
                static () => $"{Environment.GetEnvironmentVariable("SUPERVISOR_TESTING_MODE")}|{CultureInfo.CurrentCulture.Name}|{Environment.CurrentDirectory}", options);

            Assert.Equal($"isolated|de-DE|{directory}", seen);
        }
        finally
        {
            Directory.Delete(directory);
        }
    }

    [Fact]
    public async Task A_fork_hands_the_child_the_declared_statics_as_they_are_now()
    {
        Threshold = 17;
        var options = new IsolatedOptions { StartMethod = StartMethod.Fork, Inherited = [InheritedState.Of(() => Threshold)] };

        Assert.Equal(17, await Isolated.RunAsync(static () => Threshold, options));
    }

    [Fact]
    public async Task A_hang_is_killed_at_the_timeout_and_reported_with_the_childs_last_output()
    {
        var options = new IsolatedOptions { Timeout = TimeSpan.FromSeconds(5) }; // the first call loads and compiles: room on a loaded machine

        var failure = await Assert.ThrowsAsync<IsolatedTimeoutException>(() => Isolated.RunAsync(static () =>
        {
            Console.WriteLine("about to hang");
            Thread.Sleep(Timeout.Infinite);
        }, options));

        Assert.Contains("about to hang", failure.OutputTail);
        Assert.Contains("about to hang", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_exit_fails_the_call_unless_it_is_the_expected_one()
    {
        var unexpected = await Assert.ThrowsAsync<IsolatedExitException>(() => Isolated.RunAsync(static () => Environment.Exit(3)));
        Assert.Equal(3, unexpected.ExitCode);

        await Isolated.RunAsync(static () => Environment.Exit(3), new IsolatedOptions { ExpectedExitCode = 3 });

        var other = await Assert.ThrowsAsync<IsolatedExitException>(() => Isolated.RunAsync(static () => Environment.Exit(4), new IsolatedOptions { ExpectedExitCode = 3 }));
        Assert.Equal((4, 3), (other.ExitCode, other.ExpectedExitCode));

        var returned = await Assert.ThrowsAsync<IsolatedExitException>(() => Isolated.RunAsync(static () => { }, new IsolatedOptions { ExpectedExitCode = 3 }));
        Assert.Null(returned.ExitCode);
    }

    [Fact]
    public async Task A_lambda_that_captures_is_refused_before_any_process_starts()
    {
        var local = 3;

        var refused = await Assert.ThrowsAsync<UnserializableValueException>(() => Isolated.RunAsync(() => local));

        Assert.Contains("local", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_that_cannot_work_are_refused_with_what_is_wrong()
    {
        var missing = Path.Combine(Path.GetTempPath(), "supervisor-testing-no-such-directory");

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => Isolated.RunAsync(static () => 1, new IsolatedOptions { WorkingDirectory = missing }));

        Assert.Contains(missing, refused.Message, StringComparison.Ordinal);
    }
}
