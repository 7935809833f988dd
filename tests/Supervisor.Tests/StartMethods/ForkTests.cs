using SharedMemoryFunctions;
using Supervisor.SharedMemory;
using Supervisor.Tests.Support;
using UserFunctions;

namespace Supervisor.Tests.StartMethods;

/// <summary>
/// Python experiment 000 "Fork vs Spawn" with real processes: the declared globals as the parent held them when the worker
/// started, never what the parent set later, and the child's changes never back; only shared memory is shared.
/// </summary>
public sealed class ForkTests
{
    private static readonly InheritedState[] DeclaredGlobals =
        [InheritedState.Of(() => Globals.A), InheritedState.Of(() => Globals.B), InheritedState.Of(() => Globals.C)];

    private readonly QuietOutput _output = new();

    private WorkerOptions Fork(params InheritedState[] inherited) =>
        _output.Options(1) with { StartMethod = StartMethod.Fork, Inherited = inherited };

    [Fact]
    public async Task A_global_set_before_start_is_seen_by_the_child_one_set_after_is_not()
    {
        Globals.A = 10;
        var pool = await ProcessPool.StartAsync(Fork(DeclaredGlobals));
        try
        {
            // Python's b = 10.0, set after p1.start(): the child still has the value of the moment it started.
            Globals.B = 10.0;
            await using (pool)
            {
                Assert.Equal("a=10, b=0, c=False", await pool.SubmitAsync(Globals.Show, 0));
            }
        }
        finally
        {
            (Globals.A, Globals.B) = (0, 0);
        }
        ProcessAssert.AllExited(pool.StartedProcessIds);
    }

    [Fact]
    public async Task The_childs_reassignments_never_reach_the_parent()
    {
        (Globals.A, Globals.B, Globals.C) = (10, 1.0, true);
        var pool = await ProcessPool.StartAsync(Fork(DeclaredGlobals));
        try
        {
            await using (pool)
            {
                Assert.Equal("a=5, b=1, c=False", await pool.SubmitAsync(Globals.ReassignAAndC, 0));
                // The same worker keeps its own copy: its change stays there, and only there.
                Assert.Equal("a=5, b=1, c=False", await pool.SubmitAsync(Globals.Show, 0));
            }
            Assert.Equal("a=10, b=1, c=True", Globals.Show(0));
        }
        finally
        {
            (Globals.A, Globals.B, Globals.C) = (0, 0, false);
        }
        ProcessAssert.AllExited(pool.StartedProcessIds);
    }

    [Fact]
    public async Task Global_and_passed_values_change_in_the_child_only_a_shared_value_in_both()
    {
        // Python experiment 000 "Shared Memory vs Passed Resource vs Global Resource": global_a, pass_b, shared_c.
        using var sharedC = new SharedValue<bool>(true);
        ObjectIdentity.GlobalA = 11;
        var passB = 1.0;
        var options = Fork(InheritedState.Of(() => ObjectIdentity.GlobalA));
        string seen;
        IReadOnlyList<int> started;
        try
        {
            await using (var pool = await ProcessPool.StartAsync(options))
            {
                seen = await pool.SubmitAsync<string>(Function.FromDelegate(ObjectIdentity.ShowObjectIdentity), Arguments.Of(passB, sharedC));
                started = pool.StartedProcessIds;
            }
        }
        finally
        {
            ObjectIdentity.GlobalA = 10;
        }
        // The child saw the parent's global as it was at the start, a copy of the passed value, and the shared one.
        Assert.Equal("global_a=11, pass_b=1, shared_c=SharedValue<bool>(True) -> global_a=5, pass_b=1, shared_c=SharedValue<bool>(False)", seen);
        // Only the shared value's change reached the parent.
        Assert.False(sharedC.Value);
        ProcessAssert.AllExited(started);
    }

    [Fact]
    public async Task A_shared_value_held_in_an_inherited_global_is_shared_with_the_child()
    {
        using var flag = new SharedValue<bool>(true);
        ObjectIdentity.SharedGlobal = flag;
        var pool = await ProcessPool.StartAsync(Fork(InheritedState.Of(() => ObjectIdentity.SharedGlobal)));
        try
        {
            await using (pool)
            {
                Assert.True(await pool.SubmitAsync(ObjectIdentity.ClearSharedGlobal, 0));
            }
            Assert.False(flag.Value);
        }
        finally
        {
            ObjectIdentity.SharedGlobal = null;
        }
        ProcessAssert.AllExited(pool.StartedProcessIds);
    }

    [Fact]
    public async Task An_inherited_dataset_writer_is_refused_at_start_naming_the_global()
    {
        // The rasterio case: under Python's fork the child writes into its copy of the writer and the pixels are
        // lost. A .NET worker cannot get a copy of the parent's memory at all, so the handle is refused up front.
        using var temp = new TempDirectory();
        OpenDatasets.Writing = new Dataset(temp.File("test_write.tiff"));
        try
        {
            var error = await Assert.ThrowsAsync<WorkerStartException>(() =>
                ProcessPool.StartAsync(Fork(InheritedState.Of(() => OpenDatasets.Writing))));
            Assert.Equal(
                "worker-1 cannot inherit UserFunctions.OpenDatasets.Writing.Writer.Handle (SafeFileHandle): an OS handle cannot cross a process boundary; pass the file's path and open it in the worker",
                error.Message);
        }
        finally
        {
            OpenDatasets.Writing.Writer.Handle.Dispose();
            OpenDatasets.Writing = null;
        }
    }

    [Fact]
    public void Inherited_members_are_checked_where_they_are_declared()
    {
        Assert.Equal("UserFunctions.Globals.A", InheritedState.Of(typeof(Globals), nameof(Globals.A)).ToString());
        Assert.Contains("'(1 + Globals.A)' is not one", Assert.Throws<ArgumentException>(() => InheritedState.Of(() => 1 + Globals.A)).Message, StringComparison.Ordinal);
        Assert.StartsWith("UserFunctions.Globals.D: Globals declares no static field or property named 'D'.",
            Assert.Throws<ArgumentException>(() => InheritedState.Of(typeof(Globals), "D")).Message, StringComparison.Ordinal);
        Assert.StartsWith("System.String.Empty is static readonly: a worker could not assign it",
            Assert.Throws<ArgumentException>(() => InheritedState.Of(() => string.Empty)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inherited_state_with_spawn_is_refused_before_any_process_starts()
    {
        var options = Fork(DeclaredGlobals) with { StartMethod = StartMethod.Spawn };
        var error = await Assert.ThrowsAsync<ArgumentException>(() => ProcessPool.StartAsync(options));
        Assert.StartsWith("Inherited (UserFunctions.Globals.A, UserFunctions.Globals.B, UserFunctions.Globals.C) is what a fork passes on", error.Message, StringComparison.Ordinal);
    }
}
