using StackExchange.Redis;
using DistributedCluster;
using Supervisor.Distributed.Redis;

namespace Supervisor.Distributed.Tests.Infrastructure;

/// <summary>Looks at a queue's keys in Redis directly, as an operator would with redis-cli.</summary>
internal sealed class QueueProbe : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _connection;
    private readonly QueueKeys _keys;

    private QueueProbe(ConnectionMultiplexer connection, QueueKeys keys)
    {
        _connection = connection;
        _keys = keys;
    }

    public static async Task<QueueProbe> ConnectAsync(RedisServer redis, string queue) =>
        new(await ConnectionMultiplexer.ConnectAsync(redis.Configuration), new QueueKeys(queue));

    private IDatabase Db => _connection.GetDatabase();

    /// <summary>Calls delivered to a node and not yet acknowledged.</summary>
    public async Task<long> PendingAsync() => (await Db.StreamPendingAsync(_keys.Calls, QueueKeys.Group)).PendingMessageCount;

    public Task<long> CallsLengthAsync() => Db.StreamLengthAsync(_keys.Calls);

    public Task<long> DeadLettersLengthAsync() => Db.StreamLengthAsync(_keys.DeadLetters);

    /// <summary>The reply streams of the queue's clients, with their time to live.</summary>
    public async Task<IReadOnlyList<(string Key, TimeSpan? TimeToLive, long Length)>> ReplyStreamsAsync()
    {
        var server = _connection.GetServer(_connection.GetEndPoints()[0]);
        var found = new List<(string, TimeSpan?, long)>();
        await foreach (var key in server.KeysAsync(pattern: _keys.ReplyPrefix + "*"))
        {
            found.Add((key!, await Db.KeyTimeToLiveAsync(key), await Db.StreamLengthAsync(key)));
        }
        return found;
    }

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();
}
