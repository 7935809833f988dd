namespace Supervisor.Launcher;

/// <summary>Progress as plain lines on stderr, at most one a second: for logs, pipes and CI.</summary>
internal sealed class PlainProgressReporter(TextWriter error, long? total) : ProgressReporter(total)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private TimeSpan _lastReport;

    /// <inheritdoc />
    public override Task RunAsync(Func<Task> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return body();
    }

    /// <inheritdoc />
    public override void WriteLine(string text) => error.WriteLine(text);

    /// <inheritdoc />
    protected override void OnCompleted()
    {
        var now = Elapsed;
        if (now - _lastReport < Interval) return;
        _lastReport = now;
        WriteLine($"progress: {Status()}");
    }
}
