using SharingFunctions;
using Supervisor.Tests.Support;

namespace Supervisor.Tests.Scenarios;

using Supervisor.Sharing;

/// <summary>Python experiment 001: a queue passed to Pool.map tasks, each putting its number on it; the parent reads them all.</summary>
public sealed class QueuePassedToPoolTasksTests
{
    private readonly QuietOutput _output = new();

    [Fact]
    public async Task A_manager_queue_passed_to_pool_map_tasks_brings_every_tasks_number_back()
    {
        await using var manager = ProcessManager.Start();
        var queue = manager.CreateQueue<double>();
        double[] put;
        IReadOnlyList<int> pids;
        await using (var pool = await ProcessPool.StartAsync(_output.Options(2)))
        {
            put = await pool.MapAsync(QueueTasks.PutRandomNumber, Enumerable.Repeat(queue, 10));
            pids = pool.StartedProcessIds;
        }
        var got = new List<double>();
        for (var i = 0; i < 10; i++) got.Add(await queue.GetAsync());

        Assert.Equal(put.Order(), got.Order());
        Assert.All(got, number => Assert.InRange(number, 0, 5));
        Assert.Equal(GetOutcome.Empty, (await queue.TryGetAsync()).Outcome);
        ProcessAssert.AllExited(pids);
    }
}
