using Supervisor.Tests.Support;
using UserFunctions;

namespace Supervisor.Tests.StartMethods;

/// <summary>Forkserver, mirrored: warm spares started ahead of need replace a killed worker.</summary>
public sealed class ForkserverTests
{
    private readonly QuietOutput _output = new();

    [Fact]
    public async Task A_killed_worker_is_replaced_by_the_spare_that_already_ran_the_initializer()
    {
        var options = _output.Options(1) with
        {
            StartMethod = StartMethod.Forkserver,
            // A call sent before the kill is noticed runs again on the replacement.
            Retries = 1,
            Initializer = Function.FromDelegate(Statics.SetPrefix),
            InitializerArguments = Arguments.Of("warm"),
        };
        var pool = await ProcessPool.StartAsync(options);
        await using (pool)
        {
            var first = await pool.SubmitAsync(Statics.ProcessId, 0);
            Signal.Kill(first);
            var replacement = await pool.SubmitAsync(Statics.ProcessId, 0);
            // Processes are counted as they launch: the pool's first worker, then the spare the pool started with.
            Assert.Equal(pool.StartedProcessIds[1], replacement);
            Assert.Equal("warm:x", await pool.SubmitAsync(Statics.WithPrefix, "x"));
            Assert.Equal(["worker-2"], pool.Workers.Select(w => w.Name));
        }
        // Taking the spare started the next one (launched in the background; disposal waits for it).
        Assert.Equal(3, pool.StartedProcessIds.Count);
        ProcessAssert.AllExited(pool.StartedProcessIds);
    }

    [Fact]
    public async Task A_spare_inherits_the_parents_state_as_of_the_spares_start_not_as_of_the_replacement()
    {
        Statics.Prefix = "at start";
        var options = _output.Options(1) with
        {
            StartMethod = StartMethod.Forkserver,
            Retries = 1,
            Inherited = [InheritedState.Of(() => Statics.Prefix)],
        };
        var pool = await ProcessPool.StartAsync(options);
        try
        {
            await using (pool)
            {
                // The spare was started, and its copy taken, before the pool was handed over.
                Statics.Prefix = "later";
                Signal.Kill(await pool.SubmitAsync(Statics.ProcessId, 0));
                Assert.Equal("at start:x", await pool.SubmitAsync(Statics.WithPrefix, "x"));
                // Taking that spare started the next one, which copied the parent's state of that moment.
                Signal.Kill(await pool.SubmitAsync(Statics.ProcessId, 0));
                Assert.Equal("later:x", await pool.SubmitAsync(Statics.WithPrefix, "x"));
            }
        }
        finally
        {
            Statics.Prefix = "unset";
        }
        ProcessAssert.AllExited(pool.StartedProcessIds);
    }

    [Fact]
    public async Task A_single_process_started_by_forkserver_runs_its_call()
    {
        using var temp = new TempDirectory();
        var path = temp.File("pixels.txt");
        var options = _output.Options(1) with { StartMethod = StartMethod.Forkserver };
        var process = new WorkerProcess(Function.FromDelegate(Raster.WritePixels), Arguments.Of(path, 7), options);
        await using (process)
        {
            await process.StartAsync();
            Assert.True(await process.JoinAsync());
            Assert.Equal(0, process.ExitCode);
        }
        Assert.Equal("7\n", await File.ReadAllTextAsync(path));
        ProcessAssert.AllExited([process.ProcessId!.Value]);
    }

    [Fact]
    public async Task Spares_are_refused_for_other_start_methods_and_below_one()
    {
        var spawn = await Assert.ThrowsAsync<ArgumentException>(() => ProcessPool.StartAsync(_output.Options(1) with { Spares = 2 }));
        Assert.StartsWith("Spares are the warm workers of StartMethod.Forkserver; Spawn keeps none.", spawn.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            ProcessPool.StartAsync(_output.Options(1) with { StartMethod = StartMethod.Forkserver, Spares = 0 }));
    }
}
