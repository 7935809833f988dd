using Supervisor.Testing;

namespace IsolatedTests;

/// <summary>Many isolated tests at a lower cost each: one warm pool for the class, still a process per call.</summary>
public sealed class WarmPoolTests(IsolatedPoolFixture fixture) : IClassFixture<IsolatedPoolFixture>
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Each_call_starts_from_a_clean_process(int megabytes)
    {
        Assert.Equal((long)megabytes << 20, await fixture.Pool.RunAsync(static (int mb) => CodeUnderTest.Remember(mb), megabytes));
    }
}
