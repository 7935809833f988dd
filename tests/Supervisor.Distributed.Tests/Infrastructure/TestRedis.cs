using DistributedCluster;

namespace Supervisor.Distributed.Tests.Infrastructure;

/// <summary>A real redis-server for one test; a machine without it skips the test, saying how to install it.</summary>
internal static class TestRedis
{
    public static Task<RedisServer> StartAsync(int? port = null)
    {
        Skip.IfNot(RedisServer.IsInstalled, RedisServer.InstallAdvice + " to run the distributed tests.");
        return RedisServer.StartAsync(port: port);
    }
}
