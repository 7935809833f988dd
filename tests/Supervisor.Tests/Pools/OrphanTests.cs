using Supervisor.Tests.Support;
using UserFunctions;

namespace Supervisor.Tests.Pools;

/// <summary>
/// Workers die with their supervisor (end of pipe; PR_SET_PDEATHSIG on Linux), but not before it: the kernel sends
/// the parent-death signal when the thread that started a worker exits, so that thread must outlive the pool.
/// </summary>
public sealed class OrphanTests
{
    private readonly QuietOutput _output = new();

    [Fact]
    public async Task Workers_outlive_the_thread_that_started_their_pool()
    {
        ProcessPool? started = null;
        var starter = new Thread(() => started = ProcessPool.StartAsync(_output.Options(1)).GetAwaiter().GetResult());
        starter.Start();
        starter.Join();
        IReadOnlyList<int> processIds;
        await using (var pool = started!)
        {
            var worker = pool.Workers.Single().ProcessId;
            Assert.Equal(worker, await pool.SubmitAsync(Statics.ProcessId, 0));
            Assert.True(ProcessAssert.IsRunning(worker));
            processIds = pool.StartedProcessIds;
        }
        Assert.Single(processIds);
        ProcessAssert.AllExited(processIds);
    }
}
