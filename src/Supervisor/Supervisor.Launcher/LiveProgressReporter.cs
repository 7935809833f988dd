using Spectre.Console;

namespace Supervisor.Launcher;

/// <summary>A Spectre.Console progress display on an interactive stderr: a bar when the total is known, else a pulse.</summary>
internal sealed class LiveProgressReporter(IAnsiConsole console, long? total) : ProgressReporter(total)
{
    private ProgressTask? _task;

    /// <inheritdoc />
    public override Task RunAsync(Func<Task> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                _task = context.AddTask(Markup.Escape(Status()), autoStart: true, maxValue: Total ?? 1);
                _task.IsIndeterminate = Total is null;
                try
                {
                    await body();
                }
                finally
                {
                    _task.IsIndeterminate = false;
                    _task.StopTask();
                }
            });
    }

    // Spectre.Console renders writes made during a live display above it, so worker output and the bar coexist.
    /// <inheritdoc />
    public override void WriteLine(string text) => console.WriteLine(text);

    /// <inheritdoc />
    protected override void OnCompleted()
    {
        if (_task is null) return;
        _task.Value = Done;
        _task.Description = Markup.Escape(Status());
    }
}
