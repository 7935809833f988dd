using System.Diagnostics;
using Spectre.Console;

namespace Supervisor.Launcher;

/// <summary>
/// Counts finished calls and shows progress on stderr (stdout may carry the results): a live display on an
/// interactive terminal, plain lines otherwise. Also forwards what workers print, so that it does not tear
/// the display apart.
/// </summary>
internal abstract class ProgressReporter
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>Creates a reporter for <paramref name="total"/> calls (null when unknown).</summary>
    protected ProgressReporter(long? total) => Total = total;

    /// <summary>How many calls the input holds, when known up front.</summary>
    public long? Total { get; }

    /// <summary>Calls finished so far, failed ones included.</summary>
    public long Done { get; private set; }

    /// <summary>Calls failed so far.</summary>
    public long Failed { get; private set; }

    /// <summary>Time since the reporter was created.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Finished calls per second so far.</summary>
    protected double Rate => Done / Math.Max(Elapsed.TotalSeconds, 1e-3);

    /// <summary>
    /// A live display when stderr is an interactive terminal, else plain lines on <paramref name="error"/>.
    /// </summary>
    public static ProgressReporter Create(TextWriter error, long? total)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(error) });
        return !Console.IsErrorRedirected && console.Profile.Capabilities.Interactive
            ? new LiveProgressReporter(console, total)
            : new PlainProgressReporter(error, total);
    }

    /// <summary>Runs <paramref name="body"/> (the streaming of calls) while progress is shown.</summary>
    public abstract Task RunAsync(Func<Task> body);

    /// <summary>Counts one finished call. Called by one thread at a time.</summary>
    public void Completed(bool failed)
    {
        Done++;
        if (failed) Failed++;
        OnCompleted();
    }

    /// <summary>Writes the final line: <c>done: 100 calls, 0 failed, 1.2 s</c>.</summary>
    public void Finish() => WriteLine($"done: {Done} calls, {Failed} failed, {Elapsed.TotalSeconds:0.0} s");

    /// <summary>Forwards a line a worker printed as <c>[worker-2] text</c>. Thread-safe.</summary>
    public void WriteWorkerLine(WorkerOutputLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        WriteLine(line.ToString());
    }

    /// <summary>Writes a line of text to stderr without disturbing the display. Thread-safe.</summary>
    public abstract void WriteLine(string text);

    /// <summary>Updates the display after <see cref="Done"/> or <see cref="Failed"/> changed.</summary>
    protected abstract void OnCompleted();

    /// <summary><c>40/100 calls, 1 failed, 35.2/s</c>, or without the total when it is unknown.</summary>
    protected string Status() =>
        $"{Done}{(Total is { } total ? $"/{total}" : "")} calls, {Failed} failed, {Rate:0.0}/s";
}
