using Xunit;

namespace Supervisor.Testing;

/// <summary>
/// A base for test classes whose every test is guarded: a <see cref="LeakGuard"/> starts before each test and is
/// verified after it, so a test that leaves a process, shared memory, a socket file or a tracked pool behind fails,
/// naming what it left. Run such classes in a collection that does not run in parallel with others that start
/// processes (see <see cref="LeakGuard"/>).
/// </summary>
public abstract class LeakGuardedTest : IAsyncLifetime
{
    private LeakGuard? _guard;

    /// <summary>This test's guard, e.g. to track a pool.</summary>
    /// <exception cref="InvalidOperationException">Read in the constructor, before xunit started the guard.</exception>
    protected LeakGuard Guard => _guard ?? throw new InvalidOperationException("The guard starts after the constructor, when xunit initializes the test.");

    /// <summary>What the guard forgives. Default: <see cref="LeakGuardOptions"/>' defaults.</summary>
    protected virtual LeakGuardOptions GuardOptions => new();

    /// <summary>Starts the guard; an override calls this first.</summary>
    public virtual Task InitializeAsync()
    {
        _guard = LeakGuard.Start(GuardOptions);
        return Task.CompletedTask;
    }

    /// <summary>Fails the test with <see cref="LeakException"/> if it left something behind; an override calls this last.</summary>
    public virtual Task DisposeAsync() => Guard.VerifyAsync();
}
