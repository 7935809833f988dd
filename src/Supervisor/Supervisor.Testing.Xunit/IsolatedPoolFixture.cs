using Xunit;

namespace Supervisor.Testing;

/// <summary>
/// One warm <see cref="IsolatedPool"/> per test class (<c>IClassFixture&lt;IsolatedPoolFixture&gt;</c>), started
/// before the class's first test and disposed after its last. Derive from it to give other options.
/// </summary>
public class IsolatedPoolFixture : IAsyncLifetime
{
    private IsolatedPool? _pool;

    /// <summary>The class's pool.</summary>
    /// <exception cref="InvalidOperationException">Read before xunit started the fixture.</exception>
    public IsolatedPool Pool => _pool ?? throw new InvalidOperationException("The pool starts when xunit initializes the fixture.");

    /// <summary>How each call's child is set up. Default: <see cref="IsolatedOptions"/>' defaults.</summary>
    protected virtual IsolatedOptions Options => new();

    /// <summary>How many children run and wait. Default: <see cref="IsolatedPoolOptions"/>' defaults.</summary>
    protected virtual IsolatedPoolOptions PoolOptions => new();

    /// <summary>Starts the pool.</summary>
    public async Task InitializeAsync() => _pool = await IsolatedPool.StartAsync(Options, PoolOptions).ConfigureAwait(false);

    /// <summary>Disposes the pool.</summary>
    public async Task DisposeAsync()
    {
        if (_pool is not null) await _pool.DisposeAsync().ConfigureAwait(false);
    }
}
