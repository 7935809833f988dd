using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Supervisor.Distributed.Redis;

/// <summary>
/// Two connections to one Redis: one for ordinary commands, multiplexed, and one for this side's blocking read
/// (<c>XREADGROUP</c>/<c>XREAD</c> with <c>BLOCK</c>), which would hold up every other command on a shared one. Both
/// reconnect on their own (the client keeps retrying with its backoff); losing and regaining Redis is logged.
/// </summary>
internal sealed class RedisLink : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _commands;
    private readonly ConnectionMultiplexer _blocking;

    private RedisLink(ConnectionMultiplexer commands, ConnectionMultiplexer blocking)
    {
        _commands = commands;
        _blocking = blocking;
    }

    /// <summary>For ordinary commands.</summary>
    public IDatabase Commands => _commands.GetDatabase();

    /// <summary>For the one blocking read loop.</summary>
    public IDatabase Blocking => _blocking.GetDatabase();

    /// <summary>
    /// Connects to <paramref name="configuration"/> (StackExchange.Redis syntax: <c>host:port[,password=...]</c>). Redis
    /// need not be up yet: the connections keep trying, and commands fail (and are retried by the callers) until it is.
    /// </summary>
    public static async Task<RedisLink> ConnectAsync(string configuration, string clientName, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(configuration);
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        // Back soon after Redis is: the library's default waits up to ten seconds between tries.
        options.ReconnectRetryPolicy = new ExponentialRetry(100, 5000);
        options.ClientName = clientName;
        var commands = await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
        var blocking = await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
        foreach (var connection in new[] { commands, blocking })
        {
            connection.ConnectionFailed += (_, e) =>
                logger.LogWarning("Redis at {Endpoint} unreachable ({FailureType}); reconnecting with backoff", e.EndPoint, e.FailureType);
            connection.ConnectionRestored += (_, e) => logger.LogInformation("Redis at {Endpoint} reachable again", e.EndPoint);
        }
        return new RedisLink(commands, blocking);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _blocking.CloseAsync(allowCommandsToComplete: false).ConfigureAwait(false);
        await _commands.CloseAsync(allowCommandsToComplete: true).ConfigureAwait(false);
        await _blocking.DisposeAsync().ConfigureAwait(false);
        await _commands.DisposeAsync().ConfigureAwait(false);
    }
}
