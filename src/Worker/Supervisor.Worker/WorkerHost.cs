using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Supervisor.Protocol;
using Supervisor.Protocol.Payloads;
using Supervisor.Protocol.Startup;
using Supervisor.Worker.Execution;
using Supervisor.Worker.Transport;

namespace Supervisor.Worker;

/// <summary>
/// The entry point of a worker executable. The default host calls it from <c>Main</c>; a custom worker
/// executable (extra startup code, NativeAOT) does the same.
/// </summary>
public static class WorkerHost
{
    /// <summary>
    /// Serves the supervisor that started this process over the pipes named in <paramref name="args"/> until it
    /// sends EndOfQueue (exit code 0) or goes away (exit code 3; every code a worker ends with is listed in docs/architecture.md).
    /// </summary>
    /// <returns>The process exit code.</returns>
    public static Task<int> RunAsync(string[] args) => RunAsync(args, []);

    /// <summary>
    /// Serves the supervisor as <see cref="RunAsync(string[])"/> does, running the functions of
    /// <paramref name="compiledIn"/> as compiled into this executable instead of loading the assembly file a function
    /// reference names (matched by simple name): what a NativeAOT worker, which cannot load assemblies, is built with.
    /// </summary>
    /// <param name="args">The arguments the supervisor started this process with.</param>
    /// <param name="compiledIn">The assemblies whose functions this executable runs, e.g. <c>[typeof(MyFunctions).Assembly]</c>.</param>
    /// <returns>The process exit code.</returns>
    public static async Task<int> RunAsync(string[] args, IReadOnlyList<Assembly> compiledIn)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(compiledIn);
        if (!WorkerStartInfo.TryParse(args, out var info) || info is null)
        {
            await Console.Error.WriteLineAsync(
                "This is a worker executable: a supervisor starts it with the pipes it talks over. " +
                "Run the supervisor's launcher instead (see README.md).");
            return WorkerExitCodes.Usage;
        }
        if (!ParentDeath.Arm()) return WorkerExitCodes.SupervisorGone;
        InjectedFaults? faults;
        try
        {
            faults = InjectedFaults.FromEnvironment();
        }
        catch (Exception e) when (e is FormatException or InvalidDataException)
        {
            await Console.Error.WriteLineAsync($"{info.Name}: {FaultRules.Variable} holds no usable fault plan: {e.Message}");
            return WorkerExitCodes.Usage;
        }
        using var planned = faults;
        if (faults?.FailingStart() is { } start)
        {
            await Console.Error.WriteLineAsync($"{info.Name}: worker start {start} fails, as the fault plan asked.");
            return WorkerExitCodes.InjectedStartFailure;
        }
        WorkerContext.Enter(new WorkerContext(info.Name, info.WorkerId, Environment.ProcessId));
        // A Ctrl-C in a terminal reaches the whole process group. Workers are told what to do over their pipes,
        // so they ignore it and never die mid-task with a stack trace of their own.
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => context.Cancel = true);
        // Not disposed: the pump's thread may be blocked reading it when the loop ends, and disposing a pipe
        // under a blocked read waits for that read. The process's exit closes it.
        var input = OpenPipe(info.InputHandle, FileAccess.Read);
        using var output = OpenPipe(info.OutputHandle, FileAccess.Write);
        PipeInheritance.KeepFromChildren(input.SafeFileHandle);
        PipeInheritance.KeepFromChildren(output.SafeFileHandle);
        PayloadArena? arena;
        try
        {
            // Mapped, and its descriptor closed, before any user code could start a process that inherits it.
            arena = info.PayloadHandle is { } handle ? PayloadArena.OpenInWorker(handle, info.PayloadSlotBytes) : null;
        }
        catch (IOException e)
        {
            await Console.Error.WriteLineAsync($"{info.Name}: cannot map the shared memory the supervisor handed over: {e.Message}");
            return WorkerExitCodes.Usage;
        }
        // Not disposed: the pump's thread may be reading a frame in it when the loop ends. The process's exit unmaps it.
        using var loop = new WorkerLoop(info, input, output, arena, compiledIn, faults);
        return await loop.RunAsync();
    }

    // A FileStream over the inherited handle, not an AnonymousPipeClientStream: on Unix that one reads and writes through
    // a Socket, whose first use loads the sockets stack, starts its event thread and its telemetry (an EventSource, the
    // culture data) in every worker's start, for a pipe this worker only reads and writes with blocking calls.
    private static FileStream OpenPipe(string handle, FileAccess access)
    {
        if (!WorkerStartInfo.TryParseHandle(handle, out var value)) throw new ArgumentException($"'{handle}' is no pipe handle.", nameof(handle));
        return new FileStream(new SafeFileHandle(value, ownsHandle: true), access, bufferSize: 0);
    }
}
