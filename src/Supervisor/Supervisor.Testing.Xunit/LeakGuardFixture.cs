using Xunit;

namespace Supervisor.Testing;

/// <summary>
/// A <see cref="LeakGuard"/> around a whole test class (<c>IClassFixture&lt;LeakGuardFixture&gt;</c>): started before
/// its first test, verified after its last, where xunit reports a leak as the class's cleanup failure. For a guard
/// per test, derive the test class from <see cref="LeakGuardedTest"/>.
/// </summary>
public class LeakGuardFixture : IAsyncLifetime
{
    private LeakGuard? _guard;

    /// <summary>The class's guard, e.g. to track a pool.</summary>
    /// <exception cref="InvalidOperationException">Read before xunit started the fixture.</exception>
    public LeakGuard Guard => _guard ?? throw new InvalidOperationException("The guard starts when xunit initializes the fixture.");

    /// <summary>What the guard forgives. Default: <see cref="LeakGuardOptions"/>' defaults.</summary>
    protected virtual LeakGuardOptions Options => new();

    /// <summary>Starts the guard.</summary>
    public Task InitializeAsync()
    {
        _guard = LeakGuard.Start(Options);
        return Task.CompletedTask;
    }

    /// <summary>Fails with <see cref="LeakException"/> if the class left something behind.</summary>
    public Task DisposeAsync() => Guard.VerifyAsync();
}
