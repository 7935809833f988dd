using System.Threading.Channels;
using CliWrap;
using Supervisor.Protocol;
using Supervisor.Protocol.Startup;

namespace Supervisor.Processes;

/// <summary>
/// A worker's OS process: starts it, signals it, reads its memory, waits for its exit, and forwards its stdout and
/// stderr line by line, each line cut past <see cref="OutputLineReader.MaxLineChars"/> (keeping the last stderr lines
/// for the message of a crash). It knows nothing of the pipes the worker is spoken to through.
/// </summary>
internal sealed class ProcessHandle : IDisposable
{
    // How long a dead worker's stdout and stderr may stay open (held by a grandchild) before nobody waits for them.
    // Generous: on a loaded machine the lines the worker wrote just before its death (the reason a start failed)
    // reached the message only some of the time with 500 ms; the wait costs only when a grandchild holds them.
    private static readonly TimeSpan OutputDrainAfterExit = TimeSpan.FromSeconds(5);

    private readonly string _name;
    private readonly TimeSpan _shutdownGracePeriod;
    private readonly Action<WorkerOutputLine> _output;
    private readonly StderrTail _stderr = new();
    private readonly Channel<WorkerOutputLine> _lines = Channel.CreateUnbounded<WorkerOutputLine>(new() { SingleReader = true });
    private readonly CancellationTokenSource _lastResort = new();
    private readonly CommandTask<CommandResult> _process;
    // The OS process apart from CliWrap, whose task also waits for the end of stdout and stderr: a grandchild that
    // user code started holds those open after the worker's death, which must show at once all the same.
    private readonly System.Diagnostics.Process? _osProcess;
    private readonly TimeProvider _clock;
    private readonly Task _forwarding;

    private ProcessHandle(string name, WorkerOptions options, Command command)
    {
        _name = name;
        _shutdownGracePeriod = options.ShutdownGracePeriod;
        _clock = options.TimeProvider;
        _output = options.Output ?? WriteToConsole;
        command = command
            .WithEnvironmentVariables(env =>
            {
                // Off, a killed worker would leave the runtime's diagnostic pipes and sockets in the temp directory.
                if (!options.RuntimeDiagnostics) env.Set("DOTNET_EnableDiagnostics", "0");
                // A fault plan reaches workers only through these options (a test harness's), never from this process's environment.
                env.Set(FaultRules.Variable, null);
                env.Set(options.EnvironmentVariables);
            })
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(LinesTo(isError: false))
            .WithStandardErrorPipe(LinesTo(isError: true));
        _process = command.ExecuteAsync(_lastResort.Token);
        ProcessId = _process.ProcessId;
        KillOnCloseJob.Assign(ProcessId);
        _osProcess = OpenProcess(ProcessId);
        _forwarding = ForwardOutputAsync();
    }

    public int ProcessId { get; }

    /// <summary>The exit code once the process has ended (negative: killed by that signal).</summary>
    public int? ExitCode { get; private set; }

    public bool IsAlive => !_process.Task.IsCompleted && _osProcess is not { HasExited: true };

    /// <summary>The last lines the process wrote to stderr.</summary>
    public IReadOnlyList<string> LastErrorLines => _stderr.Lines();

    /// <summary>Starts <paramref name="executable"/> with <paramref name="arguments"/> after its leading ones.</summary>
    /// <exception cref="WorkerStartException">The process could not be started.</exception>
    public static ProcessHandle Start(string name, WorkerExecutable executable, IEnumerable<string> arguments, WorkerOptions options)
    {
        var command = Cli.Wrap(executable.FileName).WithArguments([.. executable.LeadingArguments, .. arguments]);
        try
        {
            return new ProcessHandle(name, options, command);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new WorkerStartException($"Cannot start {name} from '{executable.FileName}': {e.Message}", e);
        }
    }

    /// <summary>Asks the process to stop (SIGTERM on Unix).</summary>
    public void Terminate()
    {
        if (IsAlive) Signals.Terminate(ProcessId);
    }

    /// <summary>Kills the process at once.</summary>
    public void Kill()
    {
        if (IsAlive) Signals.Kill(ProcessId);
    }

    /// <summary>The process's working set in bytes; null once it is gone.</summary>
    public long? WorkingSetBytes()
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(ProcessId);
            return process.WorkingSet64;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>
    /// Waits for the process to exit and its output to be forwarded. One that lingers past the shutdown grace period
    /// (its pipe closed, so it has nothing left to do) is killed.
    /// </summary>
    public async Task WaitForExitAsync()
    {
        try
        {
            _lastResort.CancelAfter(_shutdownGracePeriod);
            if (_osProcess is not null && await Task.WhenAny(_process, _osProcess.WaitForExitAsync()).ConfigureAwait(false) != _process.Task
                && await Task.WhenAny(_process, Task.Delay(OutputDrainAfterExit, _clock)).ConfigureAwait(false) != _process.Task)
            {
                // The process is gone, but a grandchild holds its stdout and stderr open, and CliWrap waits for them:
                // the exit code comes from the process itself, and their lines (the grandchild's too) are forwarded
                // while they stay open.
                ExitCode = ExitCodeOf(_osProcess);
                return;
            }
            var result = await _process.ConfigureAwait(false);
            ExitCode = WorkerExitCodes.FromOs(result.ExitCode);
        }
        catch (OperationCanceledException)
        {
            ExitCode = OperatingSystem.IsWindows() ? -1 : -9;
        }
        await _forwarding.ConfigureAwait(false);
    }

    /// <summary>The last stderr lines as the end of an error message, or nothing.</summary>
    public string StderrSuffix()
    {
        var lines = _stderr.Lines();
        return lines.Count == 0 ? "" : $"{Environment.NewLine}Its stderr:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", lines)}";
    }

    public void Dispose()
    {
        _lastResort.Dispose();
        _osProcess?.Dispose();
    }

    private static System.Diagnostics.Process? OpenProcess(int processId)
    {
        try
        {
            var process = System.Diagnostics.Process.GetProcessById(processId);
            // A Process found by id reads its exit code only once it holds a handle (on Unix, the runtime's record of
            // the child it started): taken now, while the process runs.
            _ = process.SafeHandle;
            return process;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return null; // it exited already: CliWrap's task says how
        }
    }

    // Never throws: a supervision loop that failed here would leave the worker's calls waiting forever.
    private static int? ExitCodeOf(System.Diagnostics.Process process)
    {
        try
        {
            return WorkerExitCodes.FromOs(process.ExitCode);
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    // Each line bounded (OutputLineReader): CliWrap's own line target would hold a line of any length whole.
    private PipeTarget LinesTo(bool isError) =>
        PipeTarget.Create((stream, cancellationToken) =>
            new OutputLineReader(Console.OutputEncoding, line => Forward(isError, line)).ReadAsync(stream, cancellationToken));

    private void Forward(bool isError, string line)
    {
        if (isError) _stderr.Add(line);
        _lines.Writer.TryWrite(new WorkerOutputLine(_name, ProcessId, isError, line));
    }

    // CliWrap awaits the line handler: a slow handler would stall the worker once the OS pipe fills, so lines
    // go through a channel and the user's handler runs here, apart from the process.
    private async Task ForwardOutputAsync()
    {
        var completion = _process.Task.ContinueWith(_ => _lines.Writer.TryComplete(), TaskScheduler.Default);
        await foreach (var line in _lines.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                _output(line);
            }
#pragma warning disable CA1031 // A faulty output handler must not take the worker's supervision down.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
        await completion.ConfigureAwait(false);
    }

    private static void WriteToConsole(WorkerOutputLine line)
    {
        if (line.IsError) Console.Error.WriteLine(line.ToString());
        else Console.Out.WriteLine(line.ToString());
    }
}
