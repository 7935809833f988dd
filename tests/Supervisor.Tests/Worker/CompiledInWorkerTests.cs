using Supervisor.Protocol.Functions;
using Supervisor.Tests.Support;
using UserFunctions;

namespace Supervisor.Tests.Worker;

/// <summary>
/// A worker executable built with <c>WorkerHost.RunAsync(args, compiledIn)</c>, as a NativeAOT worker is (run by the
/// JIT here: CI has no native toolchain), runs the functions compiled into it without loading the file the
/// supervisor names.
/// </summary>
public sealed class CompiledInWorkerTests
{
    private readonly QuietOutput _output = new();

    private static string CompiledInWorker => Path.Combine(AppContext.BaseDirectory, "CompiledInWorker.dll");

    [Fact]
    public async Task A_compiled_in_function_runs_though_its_assembly_file_is_gone()
    {
        var square = SquareOfAGoneFile();
        Assert.False(File.Exists(square.Reference.AssemblyPath));

        var options = _output.Options(1) with { WorkerExecutable = CompiledInWorker };
        IReadOnlyList<int> started;
        await using (var pool = await ProcessPool.StartAsync(options))
        {
            Assert.Equal(49, await pool.SubmitAsync<int>(square, Arguments.Of(7)));
            Assert.Equal(9, await pool.SubmitAsync(Plain.Square, 3));
            started = pool.StartedProcessIds;
        }
        ProcessAssert.AllExited(started);
    }

    [Fact]
    public async Task The_default_worker_cannot_run_a_function_whose_assembly_file_is_gone()
    {
        var square = SquareOfAGoneFile();

        await using var pool = await ProcessPool.StartAsync(_output.Options(1));
        var error = await Assert.ThrowsAsync<RemoteTaskException>(() => pool.SubmitAsync<int>(square, Arguments.Of(7)));
        Assert.Contains("No assembly at", error.Message, StringComparison.Ordinal);
    }

    // Plain.Square named by a copy of its assembly that is deleted once loaded here: the reference the worker gets
    // names a file that is no longer there.
    private static Function SquareOfAGoneFile()
    {
        using var loader = new UserAssemblyLoader();
        using var directory = new TempDirectory();
        var copy = directory.File("UserFunctions.dll");
        File.Copy(typeof(Plain).Assembly.Location, copy);
        return Function.Load(copy, "UserFunctions.Plain.Square", loader);
    }
}
