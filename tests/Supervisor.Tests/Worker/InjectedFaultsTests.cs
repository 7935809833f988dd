using Supervisor.Protocol.Startup;
using Supervisor.Tests.Support;

namespace Supervisor.Tests.Worker;

/// <summary>The worker's side of a test harness's fault plan: the rules as they travel, and a plan that cannot be read.</summary>
public sealed class InjectedFaultsTests
{
    private readonly QuietOutput _output = new();

    [Fact]
    public void Rules_read_back_as_written_whatever_the_counters_path_holds()
    {
        var rules = new FaultRules("/tmp/a|b:c,d/block", [new(3, CallFaultKind.Crash, 0), new(5, CallFaultKind.Hang, 0), new(7, CallFaultKind.Exit, -4)], [2, 9], FirstCallInitializes: true);

        var read = FaultRules.Parse(rules.Format());

        Assert.Equal(rules.CountersPath, read.CountersPath);
        Assert.Equal(rules.Calls, read.Calls);
        Assert.Equal(rules.FailingStarts, read.FailingStarts);
        Assert.True(read.FirstCallInitializes);
    }

    [Theory]
    [InlineData("2|0|||/tmp/block", "not a version 1 fault plan")]
    [InlineData("1|0||3:melt|/tmp/block", "'3:melt' is none of")]
    [InlineData("1|0|0||/tmp/block", "start number 0")]
    [InlineData("1|0||x:crash|/tmp/block", "call 'x' is not a whole number")]
    public void A_plan_that_cannot_be_read_says_which_part(string value, string expected)
    {
        var error = Assert.Throws<FormatException>(() => FaultRules.Parse(value));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_worker_given_a_plan_it_cannot_read_fails_its_start_naming_the_variable()
    {
        var options = _output.Options(1) with { EnvironmentVariables = new Dictionary<string, string?> { [FaultRules.Variable] = "1|0||3:melt|/tmp/block" } };

        var error = await Assert.ThrowsAsync<WorkerStartException>(() => ProcessPool.StartAsync(options));

        Assert.Contains("exited with code 2 before its handshake", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{FaultRules.Variable} holds no usable fault plan", error.Message, StringComparison.Ordinal);
    }
}
