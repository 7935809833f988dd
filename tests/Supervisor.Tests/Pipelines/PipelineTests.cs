using SharedMemoryFunctions;
using Supervisor.Pipelines;
using Supervisor.SharedMemory;
using Supervisor.Tests.Support;
using UserFunctions;

namespace Supervisor.Tests.Pipelines;

/// <summary>Multi-stage producer/consumer pipelines (issue 3): experiment 002's limited consumers, experiment 000's mixed stages.</summary>
public sealed class PipelineTests
{
    private readonly QuietOutput _output = new();

    [Fact]
    public async Task Ten_producers_into_three_consumers_run_at_most_three_at_once_and_consume_each_item_once()
    {
        // Python experiment 002: 10 writer processes put into a Queue; a Pool(3) of readers takes from it.
        using var temp = new TempDirectory();
        using var running = new SharedValue<int>();
        using var peak = new SharedValue<int>();
        var consume = Function.FromDelegate(Overlap.Consume).Bind("running", running).Bind("peak", peak);
        var consumed = new List<int[]>();
        var pipeline = Pipeline.From(Enumerable.Range(0, 10))
            .ThenOnThreads(async (writer, token) =>
            {
                await Task.Yield();
                return writer;
            }, concurrency: 10)
            .ThenInProcesses<int[]>(consume, workers: 3, RecordingWorkers(temp.Path));
        await foreach (var report in pipeline.RunAsync()) consumed.Add(report);

        var pids = AssertWorkersAllExited(temp.Path, expected: 3);
        Assert.Equal(Enumerable.Range(0, 10), consumed.Select(r => r[0]).Order());
        Assert.Subset(pids.ToHashSet(), consumed.Select(r => r[1]).ToHashSet());
        // The workers' own count of calls inside Consume at once, across every process.
        Assert.InRange(peak.Value, 1, 3);
        Assert.Equal(0, running.Value);
    }

    [Fact]
    public async Task Files_read_on_threads_then_cal_pow_in_processes_then_collected_on_threads_all_come_back_right()
    {
        // Python experiment 000: I/O-bound work on threads, CPU-bound work in processes, in one pipeline.
        using var temp = new TempDirectory();
        var inputs = Directory.CreateDirectory(temp.File("inputs")).FullName;
        var workers = Directory.CreateDirectory(temp.File("workers")).FullName;
        for (var i = 0; i < 100; i++) await File.WriteAllTextAsync(Path.Combine(inputs, $"{i}.txt"), $"{i}");
        var pipeline = Pipeline.From(Enumerable.Range(0, 100))
            .ThenOnThreads(async (i, token) =>
                double.Parse(await File.ReadAllTextAsync(Path.Combine(inputs, $"{i}.txt"), token), System.Globalization.CultureInfo.InvariantCulture),
                concurrency: 8)
            .ThenInProcesses<double>(Function.FromDelegate(Plain.CalPow).Bind("exponent", 2), workers: 2, RecordingWorkers(workers))
            .ThenOnThreads((square, token) => ValueTask.FromResult((long)square), concurrency: 4);
        var results = new List<long>();
        await foreach (var result in pipeline.RunAsync()) results.Add(result);

        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i * i), results.Order());
        AssertWorkersAllExited(workers, expected: 2);
    }

    [Fact]
    public async Task Cancelling_mid_run_stops_every_stage_and_leaves_no_worker_process()
    {
        using var temp = new TempDirectory();
        var markers = Directory.CreateDirectory(temp.File("markers")).FullName;
        var workers = Directory.CreateDirectory(temp.File("workers")).FullName;
        using var cancellation = new CancellationTokenSource();
        // Each call leaves a marker and then blocks until killed; one source thread keeps item 0 first.
        var pipeline = Pipeline.From(Enumerable.Range(0, 20))
            .ThenOnThreads((i, token) => ValueTask.FromResult(Path.Combine(markers, $"m{i}")), concurrency: 1)
            .ThenInProcesses<int>(Function.FromDelegate(Blocking.BlockOnFirstAttempt), workers: 2, RecordingWorkers(workers))
            .ThenOnThreads((x, token) => ValueTask.FromResult(x), concurrency: 2);
        var results = new List<int>();
        var run = Task.Run(async () =>
        {
            await foreach (var result in pipeline.RunAsync(cancellation.Token)) results.Add(result);
        });

        await Task.Run(() => FileGate.WaitFor(Path.Combine(markers, "m0"), TimeSpan.FromMinutes(1)));
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        Assert.Empty(results);
        AssertWorkersAllExited(workers, expected: 2);
    }

    [Fact]
    public async Task A_failing_item_fails_the_run_naming_its_stage_and_index_and_leaves_no_worker_process()
    {
        using var temp = new TempDirectory();
        var pipeline = Pipeline.From(Enumerable.Range(0, 5))
            .ThenOnThreads((i, token) => ValueTask.FromResult(i), concurrency: 1)
            .ThenInProcesses<int>(Function.FromDelegate(Plain.Divide).Bind("a", 12), workers: 1, RecordingWorkers(temp.Path));
        var results = new List<int>();

        var error = await Assert.ThrowsAsync<PipelineItemException>(async () =>
        {
            await foreach (var result in pipeline.RunAsync()) results.Add(result);
        });

        // Item 0 divides by zero; with one worker, it is the first call.
        Assert.Equal(1, error.StageIndex);
        Assert.Equal(0, error.ItemIndex);
        Assert.IsType<RemoteTaskException>(error.InnerException);
        Assert.Contains("DivideByZeroException", error.Message, StringComparison.Ordinal);
        AssertWorkersAllExited(temp.Path, expected: 1);
    }

    [Fact]
    public async Task A_failing_thread_call_fails_the_run_after_the_results_before_it()
    {
        var pipeline = Pipeline.From(Enumerable.Range(0, 5))
            .ThenOnThreads((i, token) => i == 3 ? throw new InvalidDataException("bad item") : ValueTask.FromResult(i), concurrency: 1);
        var results = new List<int>();

        var error = await Assert.ThrowsAsync<PipelineItemException>(async () =>
        {
            await foreach (var result in pipeline.RunAsync()) results.Add(result);
        });

        Assert.Equal([0, 1, 2], results);
        Assert.Equal(0, error.StageIndex);
        Assert.Equal(3, error.ItemIndex);
        Assert.IsType<InvalidDataException>(error.InnerException);
    }

    [Fact]
    public void Wrong_stage_arguments_are_refused_naming_them()
    {
        var pipeline = Pipeline.From(Enumerable.Range(0, 1));
        Assert.Equal("concurrency", Assert.Throws<ArgumentOutOfRangeException>(() => pipeline.ThenOnThreads((i, _) => ValueTask.FromResult(i), concurrency: 0)).ParamName);
        Assert.Equal("workers", Assert.Throws<ArgumentOutOfRangeException>(() => pipeline.ThenInProcesses<int>(Function.FromDelegate(Plain.Square), workers: 0)).ParamName);
        Assert.Equal("capacity", Assert.Throws<ArgumentOutOfRangeException>(() => pipeline.ThenOnThreads((i, _) => ValueTask.FromResult(i), concurrency: 1, capacity: -1)).ParamName);
        Assert.Equal("function", Assert.Throws<ArgumentNullException>(() => pipeline.ThenOnThreads<int>(null!, concurrency: 1)).ParamName);
        Assert.Equal("function", Assert.Throws<ArgumentNullException>(() => pipeline.ThenInProcesses<int>((Function)null!, workers: 1)).ParamName);
        Assert.Equal("source", Assert.Throws<ArgumentNullException>(() => Pipeline.From((IEnumerable<int>)null!)).ParamName);
        // Each item is a process stage's one argument: a function that needs two is refused when the stage is added.
        var twoArguments = Assert.Throws<ArgumentException>(() => pipeline.ThenInProcesses<int>(Function.FromDelegate(Plain.Add), workers: 1));
        Assert.Contains("missing argument(s) 'b'", twoArguments.Message, StringComparison.Ordinal);
    }

    /// <summary>Asserts the stage started <paramref name="expected"/> workers, by their own records, and none is left.</summary>
    private static IReadOnlyList<int> AssertWorkersAllExited(string directory, int expected)
    {
        var pids = WorkerRecords.RecordedProcessIds(directory);
        Assert.Equal(expected, pids.Count);
        ProcessAssert.AllExited(pids);
        return pids;
    }

    /// <summary>Pool options whose workers each leave a file named by their pid: the test's list of processes to check.</summary>
    private WorkerOptions RecordingWorkers(string directory) => new()
    {
        Output = _output.Add,
        Initializer = Function.FromDelegate(WorkerRecords.RecordProcessId),
        InitializerArguments = Arguments.Of(directory),
    };
}
