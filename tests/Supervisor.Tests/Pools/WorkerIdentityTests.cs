using SharingFunctions;
using Supervisor.Tests.Support;

namespace Supervisor.Tests.Pools;

/// <summary>A call learns which worker runs it (WorkerContext), and a failed call's exception names that worker.</summary>
public sealed class WorkerIdentityTests
{
    private readonly QuietOutput _output = new();

    [Fact]
    public void Outside_a_worker_there_is_no_worker_context() => Assert.Null(WorkerContext.Current);

    [Fact]
    public async Task Each_call_sees_the_name_id_and_pid_of_the_worker_that_runs_it()
    {
        await using var pool = await ProcessPool.StartAsync(_output.Options(2));
        var workers = pool.Workers;
        var seen = await pool.MapAsync(Identity.WhoRunsMe, Enumerable.Range(0, 20), chunkSize: 1);

        Assert.Equal(20, seen.Length);
        foreach (var (line, call) in seen.Select((line, call) => (line, call)))
        {
            var parts = line.Split(':');
            Assert.Equal(call.ToString(System.Globalization.CultureInfo.InvariantCulture), parts[0]);
            Assert.Contains(workers, w => w.Name == parts[1] && w.ProcessId == int.Parse(parts[3], System.Globalization.CultureInfo.InvariantCulture));
        }
        Assert.Equal(seen.Select(l => l.Split(':')[1]).Distinct().Count(), seen.Select(l => l.Split(':')[2]).Distinct().Count());
    }

    [Fact]
    public async Task A_failed_calls_exception_names_the_worker_and_its_pid()
    {
        await using var pool = await ProcessPool.StartAsync(_output.Options(1));
        var worker = Assert.Single(pool.Workers);

        var error = await Assert.ThrowsAsync<RemoteTaskException>(() => pool.SubmitAsync(Identity.Fail, 3));

        Assert.Equal(worker.Name, error.WorkerName);
        Assert.Equal(worker.ProcessId, error.ProcessId);
        Assert.Contains($"{worker.Name} (pid {worker.ProcessId})", error.Message, StringComparison.Ordinal);
        Assert.Contains("call 3 fails on purpose", error.Message, StringComparison.Ordinal);
    }
}
