using Supervisor.Protocol.Serialization;
using Supervisor.Tests.Support;
using UserFunctions;

namespace Supervisor.Tests.Scenarios;

/// <summary>Python experiment 000: ProcessQueue, EndOfQueue, named arguments, spawn-mode state, picklability.</summary>
public sealed class ProcessQueueScenarioTests
{
    private readonly QuietOutput _output = new();

    [Fact]
    public async Task Hundred_items_through_four_workers_all_come_back_right()
    {
        var options = new ProcessQueueOptions { Workers = 4, MaxSize = 20, Output = _output.Add };
        var results = new List<double>();
        IReadOnlyList<int> pids;
        await using (var queue = await ProcessQueue.StartAsync<int, double>(Function.FromDelegate(Plain.CalPow).Bind("exponent", 2), options))
        {
            for (var i = 0; i < 100; i++) await queue.PutAsync(i);
            await queue.PutEndOfQueueAsync();
            await queue.JoinAsync();
            await foreach (var result in queue.ReadAllAsync()) results.Add(result);
            pids = queue.StartedProcessIds;
        }
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (double)i * i), results.Order());
        // The workers printed the experiment's lines, each tagged with the worker that ran it.
        var starts = _output.Lines.Where(l => l.Text.StartsWith("ProcessQueue starts processing", StringComparison.Ordinal)).ToList();
        Assert.Equal(100, starts.Count);
        Assert.True(starts.Select(l => l.WorkerName).Distinct().Count() > 1, "the items were spread over several workers");
        Assert.Equal(4, pids.Count);
        ProcessAssert.AllExited(pids);
    }

    [Fact]
    public async Task Results_arrive_in_completion_order_not_input_order()
    {
        using var temp = new TempDirectory();
        var options = new ProcessQueueOptions { Workers = 4, MaxSize = 20, Output = _output.Add };
        var function = Function.FromDelegate(Ordering.FirstWaitsForLast).Bind("last", 99).Bind("directory", temp.Path);
        var order = new List<int>();
        IReadOnlyList<int> pids;
        await using (var queue = await ProcessQueue.StartAsync<int, int>(function, options))
        {
            for (var i = 0; i < 100; i++) await queue.PutAsync(i);
            await queue.PutEndOfQueueAsync();
            await foreach (var result in queue.ReadAllAsync()) order.Add(result);
            pids = queue.StartedProcessIds;
        }
        // Item 0 waits in its worker until item 99 is done, so it is popped after 99: no timing involved.
        Assert.Equal(Enumerable.Range(0, 100), order.Order());
        Assert.True(order.IndexOf(0) > order.IndexOf(99));
        ProcessAssert.AllExited(pids);
    }

    [Fact]
    public async Task Named_arguments_bind_by_parameter_name_like_fn_star_star_data()
    {
        var options = new ProcessQueueOptions { Workers = 2, MaxSize = 20, Output = _output.Add };
        var results = new List<double>();
        await using (var queue = await ProcessQueue.StartAsync<IReadOnlyDictionary<string, object?>, double>(Function.FromDelegate(Plain.CalPow), options))
        {
            for (var i = 0; i < 20; i++) await queue.PutAsync(new Dictionary<string, object?> { ["base"] = i + 1, ["exponent"] = i - 1 });
            await queue.PutEndOfQueueAsync();
            await foreach (var result in queue.ReadAllAsync()) results.Add(result);
            ProcessAssert.AllExited(queue.StartedProcessIds);
        }
        Assert.Equal(Enumerable.Range(0, 20).Select(i => Math.Pow(i + 1, i - 1)).Order(), results.Order());
    }

    [Fact]
    public async Task A_spawned_worker_sees_static_state_at_its_initial_value()
    {
        Statics.Counter = 99;
        try
        {
            await using var pool = await ProcessPool.StartAsync(_output.Options(1));
            // Set before the start, as the experiment's `a`: a spawned process still has only what is sent.
            Assert.Equal(10, await pool.SubmitAsync(Statics.ReadCounter, 0));
            Assert.Equal(15, await pool.SubmitAsync(Statics.AddToCounter, 5));
            Assert.Equal(99, Statics.Counter);
        }
        finally
        {
            Statics.Counter = 10;
        }
    }

    [Fact]
    public async Task A_class_holding_an_open_file_handle_is_refused_before_any_process_starts()
    {
        using var temp = new TempDirectory();
        var dataset = new Dataset(temp.File("test_write.tiff"));
        await using var process = new WorkerProcess(Function.FromDelegate(Raster.WriteDataset), Arguments.Of(dataset), _output.Options(1));
        var error = await Assert.ThrowsAsync<UnserializableValueException>(() => process.StartAsync());
        dataset.Writer.Handle.Dispose();
        Assert.Equal(
            "args[0].Writer.Handle (SafeFileHandle): an OS handle cannot cross a process boundary; pass the file's path and open it in the worker",
            error.Message);
        Assert.Null(process.ProcessId);
    }

    [Fact]
    public async Task Passing_the_path_instead_works_and_the_write_lands_in_the_file()
    {
        using var temp = new TempDirectory();
        var path = temp.File("test_write.txt");
        await using var process = new WorkerProcess(Function.FromDelegate(Raster.WritePixels), Arguments.Of(path, 100), _output.Options(1));
        await process.StartAsync();
        Assert.True(await process.JoinAsync());
        Assert.Equal(0, process.ExitCode);
        Assert.Null(process.Failure);
        Assert.Equal("100\n", await File.ReadAllTextAsync(path));
    }
}
