using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using DistributedCluster;
using DistributedFunctions;
using Supervisor;
using Supervisor.Distributed;

// ./build.sh bench --distributed: one JSON object per line on stdout. W (environment, default 2) workers per node and in
// the local pool, as celery_redis.py's W. Redis runs without persistence, as the Celery peer's does. Exit codes: 0 done,
// 1 a result was wrong, 2 no redis-server.
if (!RedisServer.IsInstalled)
{
    await Console.Error.WriteLineAsync($"bench --distributed: {RedisServer.InstallAdvice}.");
    return 2;
}
var workers = int.TryParse(Environment.GetEnvironmentVariable("W"), NumberStyles.None, CultureInfo.InvariantCulture, out var w) && w > 0 ? w : 2;
const int TinyCalls = 20_000;
const int ChunkedCalls = 200_000;
const int ChunkSize = 25_000;
const int LatencyCalls = 2_000;
var items = Enumerable.Range(0, ChunkedCalls).Select(i => (long)i).ToArray();

await using (var local = await ProcessPool.StartAsync(new WorkerOptions { Workers = workers, Output = _ => { } }))
{
    await MeasureAsync(local, "local", 0);
}
await using var redis = await RedisServer.StartAsync(durable: false);
var nodes = new List<NodeProcess>();
try
{
    for (var count = 1; count <= 2; count++)
    {
        nodes.Add(await NodeProcess.StartAsync(redis, "bench", workers));
        await using var pool = await DistributedPool.ConnectAsync(redis.Configuration, "bench");
        await MeasureAsync(pool, "distributed", count);
    }
}
finally
{
    foreach (var node in nodes) await node.DisposeAsync();
}
return 0;

// The same three measurements through either pool: tiny calls (one stream entry or task each), a map in chunks of
// 25,000 (celery_redis.py's chunks), and one call at a time (p50 and p99 of the round trip).
async Task MeasureAsync(IWorkerPool pool, string mode, int nodeCount)
{
    await pool.MapAsync(Calls.Square, items.Take(1_000), chunkSize: 10);
    var clock = Stopwatch.StartNew();
    var sum = 0L;
    await foreach (var square in pool.ImapUnordered(Calls.Square, items.Take(TinyCalls))) sum += square;
    Check(sum == items.Take(TinyCalls).Sum(i => i * i), mode, "tiny");
    Emit($"{mode}_tiny", nodeCount, TinyCalls, new JsonObject { ["calls_per_s"] = Math.Round(TinyCalls / clock.Elapsed.TotalSeconds) });

    clock.Restart();
    var squares = await pool.MapAsync(Calls.Square, items, ChunkSize);
    Check(squares[^1] == items[^1] * items[^1], mode, "chunked");
    Emit($"{mode}_chunks_{ChunkSize}", nodeCount, ChunkedCalls, new JsonObject { ["calls_per_s"] = Math.Round(ChunkedCalls / clock.Elapsed.TotalSeconds) });

    var micros = new double[LatencyCalls];
    for (var i = 0; i < LatencyCalls; i++)
    {
        var start = Stopwatch.GetTimestamp();
        Check(await pool.SubmitAsync(Calls.Square, (long)i) == (long)i * i, mode, "latency");
        micros[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
    }
    Array.Sort(micros);
    Emit($"{mode}_latency", nodeCount, LatencyCalls, new JsonObject
    {
        ["p50_us"] = Math.Round(micros[LatencyCalls / 2], 1),
        ["p99_us"] = Math.Round(micros[(int)(LatencyCalls * 0.99)], 1),
    });
}

void Emit(string scenario, int nodeCount, int calls, JsonObject figures)
{
    var line = new JsonObject { ["scenario"] = scenario, ["workers"] = workers };
    if (nodeCount > 0) line["nodes"] = nodeCount;
    line["n"] = calls;
    foreach (var (name, value) in figures.ToList())
    {
        figures.Remove(name);
        line[name] = value;
    }
    Console.WriteLine(line.ToJsonString());
}

static void Check(bool right, string mode, string scenario)
{
    if (right) return;
    Console.Error.WriteLine($"bench --distributed: {mode} {scenario}: a wrong result");
    Environment.Exit(1);
}
