using Supervisor.Tests.Support;
using UserFunctions;

namespace Supervisor.Tests.Pools;

public sealed class ProcessPoolTests
{
    [Fact]
    public async Task Map_squares_every_item_in_input_order()
    {
        int[] results;
        IReadOnlyList<int> pids;
        await using (var pool = await ProcessPool.StartAsync(new WorkerOptions { Workers = 2 }))
        {
            results = await pool.MapAsync(Seed.Square, Enumerable.Range(0, 1000));
            pids = pool.StartedProcessIds;
        }
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => i * i), results);
        Assert.Equal(2, pids.Count);
        ProcessAssert.AllExited(pids);
    }
}
