using Supervisor.Protocol.Serialization;
using Supervisor.Testing;
using Supervisor.Tests.Support;
using UserFunctions;

namespace Supervisor.Tests.Pools;

public sealed class ProcessPoolTests
{
    private readonly QuietOutput _output = new();

    [Fact]
    public async Task Map_squares_every_item_in_input_order()
    {
        int[] results;
        IReadOnlyList<int> pids;
        await using (var pool = await ProcessPool.StartAsync(_output.Options(2)))
        {
            results = await pool.MapAsync(Plain.Square, Enumerable.Range(0, 1000));
            pids = pool.StartedProcessIds;
        }
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => i * i), results);
        Assert.Equal(2, pids.Count);
        ProcessAssert.AllExited(pids);
    }

    [Fact]
    public async Task Submissions_from_threads_that_block_on_their_results_each_get_their_own_result_once()
    {
        // An idle worker's sender writes a task from the submitting thread: that thread must get back at once,
        // whatever it does next, and tasks written that way and by the sender must not mix up.
        await using var pool = await ProcessPool.StartAsync(_output.Options(2));
        // Threads of their own that block, as a synchronous caller does; what they got is asserted here, not on them.
        var blocking = Enumerable.Range(0, 4).Select(t => Task.Factory.StartNew(() =>
        {
            var got = new List<long>();
            for (var i = 0; i < 200; i++) got.Add(pool.SubmitAsync(Plain.Identity, (long)(t * 1000) + i).GetAwaiter().GetResult());
            return got;
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToList();
        var burst = await Task.WhenAll(Enumerable.Range(0, 500).Select(i => pool.SubmitAsync(Plain.Identity, (long)i)));
        // A bound, not a timing: a lost or mixed-up result would leave a thread blocked for ever.
        var got = await Task.WhenAll(blocking).WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(Enumerable.Range(0, 500).Select(i => (long)i), burst);
        for (var t = 0; t < got.Length; t++) Assert.Equal(Enumerable.Range(0, 200).Select(i => (long)(t * 1000) + i), got[t]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    public async Task Imap_yields_in_input_order_and_imap_unordered_yields_every_result_once(int chunkSize)
    {
        await using var pool = await ProcessPool.StartAsync(_output.Options(2));
        var ordered = new List<long>();
        await foreach (var r in pool.Imap(Plain.Identity, Enumerable.Range(0, 500).Select(i => (long)i), chunkSize)) ordered.Add(r);
        var unordered = new List<long>();
        await foreach (var r in pool.ImapUnordered(Plain.Identity, Enumerable.Range(0, 500).Select(i => (long)i), chunkSize)) unordered.Add(r);
        Assert.Equal(Enumerable.Range(0, 500).Select(i => (long)i), ordered);
        Assert.Equal(Enumerable.Range(0, 500).Select(i => (long)i), unordered.Order());
    }

    [Fact]
    public async Task Starmap_submit_and_async_functions_return_their_values()
    {
        await using var pool = await ProcessPool.StartAsync(_output.Options(2));
        Assert.Equal(new[] { 3, 7, 11 }, await pool.StarmapAsync<int, int, int>(Plain.Add, [(1, 2), (3, 4), (5, 6)]));
        Assert.Equal(42, await pool.SubmitAsync(Plain.Add, 40, 2));
        Assert.Equal(81, await pool.SubmitAsync(Plain.SquareLater, 9));
        Assert.Equal("Hi, Ada!", await pool.SubmitAsync<string>(Function.FromDelegate(Plain.Greet),
            Arguments.FromNamed(new Dictionary<string, object?> { ["name"] = "Ada", ["greeting"] = "Hi" })));
        Assert.Equal("Hello, Bob!", await pool.SubmitAsync<string>(Function.FromDelegate(Plain.Greet), Arguments.Of("Bob")));
    }

    [Fact]
    public async Task A_user_exception_fails_that_task_only_with_the_remote_type_message_and_stack()
    {
        await using var pool = await ProcessPool.StartAsync(_output.Options(1));
        var error = await Assert.ThrowsAsync<RemoteTaskException>(() => pool.SubmitAsync(Plain.Divide, 1, 0));
        Assert.Equal("System.DivideByZeroException", error.RemoteType);
        Assert.Contains("Divide", error.RemoteStackTrace, StringComparison.Ordinal);
        Assert.Equal("worker-1", error.WorkerName);
        // The worker went on with the next task.
        Assert.Equal(5, await pool.SubmitAsync(Plain.Divide, 10, 2));
        Assert.Single(pool.StartedProcessIds);
    }

    [Fact]
    public async Task Map_fails_with_the_first_failing_item()
    {
        await using var pool = await ProcessPool.StartAsync(_output.Options(2));
        var error = await Assert.ThrowsAsync<RemoteTaskException>(() => pool.StarmapAsync(Plain.Divide, [(4, 2), (1, 0), (9, 3)]));
        Assert.Equal("System.DivideByZeroException", error.RemoteType);
    }

    [Fact]
    public async Task Arguments_that_do_not_bind_are_refused_in_the_callers_thread()
    {
        await using var pool = await ProcessPool.StartAsync(_output.Options(1));
        var greet = Function.FromDelegate(Plain.Greet);
        var unknown = Assert.Throws<ArgumentException>(() =>
            { _ = pool.SubmitAsync<string>(greet, Arguments.FromNamed(new Dictionary<string, object?> { ["nam"] = "Ada" })); });
        Assert.Contains("has no parameter 'nam'", unknown.Message, StringComparison.Ordinal);
        var missing = Assert.Throws<ArgumentException>(() => { _ = pool.SubmitAsync<string>(greet, Arguments.Of()); });
        Assert.Contains("missing argument(s) 'name'", missing.Message, StringComparison.Ordinal);
        var tooMany = Assert.Throws<ArgumentException>(() => { _ = pool.SubmitAsync<string>(greet, Arguments.Of("a", "b", "c")); });
        Assert.Contains("takes 2 positional argument(s) but 3 were given", tooMany.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unserializable_argument_fails_the_submit_call_itself()
    {
        using var temp = new TempDirectory();
        await using var pool = await ProcessPool.StartAsync(_output.Options(1));
        using var stream = File.Create(temp.File("x"));
        var error = Assert.Throws<UnserializableValueException>(() => { _ = pool.SubmitAsync<string>(
            Function.FromDelegate(Plain.Greet), Arguments.Of(stream)); });
        Assert.StartsWith("args[0] (FileStream)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_initializer_runs_once_in_each_worker_with_its_arguments()
    {
        var options = new WorkerOptions
        {
            Workers = 2,
            Output = _output.Add,
            Initializer = Function.FromDelegate(Statics.SetPrefix),
            InitializerArguments = Arguments.Of("ready"),
        };
        await using var pool = await ProcessPool.StartAsync(options);
        Assert.Equal(new[] { "ready:a", "ready:b", "ready:c" }, await pool.MapAsync(Statics.WithPrefix, new[] { "a", "b", "c" }));
    }

    [Fact]
    public async Task A_failing_initializer_fails_the_start_and_leaves_no_process()
    {
        var options = new WorkerOptions
        {
            Workers = 2,
            Output = _output.Add,
            Initializer = Function.FromDelegate(Plain.Divide),
            InitializerArguments = Arguments.Of(1, 0),
        };
        var error = await Assert.ThrowsAsync<WorkerStartException>(() => ProcessPool.StartAsync(options));
        Assert.Contains("DivideByZeroException", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_non_capturing_lambda_runs_in_a_worker()
    {
        await using var pool = await ProcessPool.StartAsync(_output.Options(1));
        Assert.Equal(new[] { 2, 4, 6 }, await pool.MapAsync(static (int x) => x * 2, new[] { 1, 2, 3 }));
    }

    [Fact]
    public async Task A_capturing_lambda_is_refused_naming_what_it_captured()
    {
        await using var pool = await ProcessPool.StartAsync(_output.Options(1));
        var factor = 3;
        var error = Assert.Throws<UnserializableValueException>(() => { _ = pool.SubmitAsync((int x) => x * factor, 2); });
        Console.WriteLine(error.Message);
        Assert.Matches("captures .*factor", error.Message);
        Assert.Contains("make the lambda static and pass those values as arguments", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_killed_worker_fails_its_task_without_retries_is_replaced_and_the_pool_goes_on()
    {
        using var faults = new FaultPlan().CrashOnCall(1);
        await using var pool = await ProcessPool.StartAsync(faults.ApplyTo(_output.Options(1) with { Retries = 0 }));
        var victim = pool.Workers.Single();
        var error = await Assert.ThrowsAsync<WorkerCrashedException>(() => pool.SubmitAsync(Plain.Square, 4));
        Assert.Equal(victim.ProcessId, error.ProcessId);
        if (!OperatingSystem.IsWindows()) Assert.Equal(-9, error.ExitCode);
        Assert.Equal(25, await pool.SubmitAsync(Plain.Square, 5));
        Assert.Equal(2, pool.StartedProcessIds.Count);
        Assert.False(ProcessAssert.IsRunning(victim.ProcessId));
    }

    [Fact]
    public async Task With_retries_the_task_of_a_killed_worker_runs_again_and_succeeds()
    {
        using var faults = new FaultPlan().CrashOnCall(1);
        await using var pool = await ProcessPool.StartAsync(faults.ApplyTo(_output.Options(1) with { Retries = 1 }));

        Assert.Equal(16, await pool.SubmitAsync(Plain.Square, 4));
        Assert.Equal(2, faults.Calls);
    }
}
