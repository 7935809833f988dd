using Xunit.Abstractions;

namespace Supervisor.Testing.Tests;

public sealed class XunitFixtureTests(IsolatedPoolFixture fixture) : IClassFixture<IsolatedPoolFixture>
{
    [Fact]
    public async Task The_class_pool_runs_isolated_calls()
    {
        var first = await fixture.Pool.RunAsync(static () => Environment.ProcessId);
        var second = await fixture.Pool.RunAsync(static () => Environment.ProcessId);

        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task What_a_child_prints_goes_to_the_test_output()
    {
        var output = new RecordingOutput();

        await Isolated.RunAsync(static () => Console.WriteLine("hello from the child"), new IsolatedOptions { Output = TestOutput.To(output) });

        Assert.Contains("[isolated-1] hello from the child", output.Lines);
    }

    private sealed class RecordingOutput : ITestOutputHelper
    {
        public List<string> Lines { get; } = [];

        public void WriteLine(string message)
        {
            lock (Lines) Lines.Add(message);
        }

        public void WriteLine(string format, params object[] args) => WriteLine(string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));
    }
}
