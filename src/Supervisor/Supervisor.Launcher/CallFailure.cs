using System.Globalization;

namespace Supervisor.Launcher;

/// <summary>Why one call failed, as the output line and the summary name it.</summary>
/// <param name="Type">The exception's full type name (in the worker, for a remote error), <see cref="MalformedInput"/> or <see cref="NotRun"/>.</param>
/// <param name="Message">What went wrong.</param>
internal sealed record CallFailure(string Type, string Message)
{
    /// <summary>The type of the failure of a line that cannot become a call (not JSON, wrong kinds of values, too long).</summary>
    public const string MalformedInput = "MalformedInput";

    /// <summary>The type of a line whose call never ran (the pool broke or could not start); <c>--resume</c> runs it.</summary>
    public const string NotRun = "NotRun";

    // A row is read by people and programs: a message longer than this is cut, and says so.
    private const int MessageChars = 2000;

    /// <summary>The type without its namespace, as the summary shows it.</summary>
    public string ShortType => Type[(Type.LastIndexOf('.') + 1)..];

    /// <summary>The failure of a line that cannot become a call; its message names the line.</summary>
    public static CallFailure Malformed(InputLine line, string problem)
    {
        ArgumentNullException.ThrowIfNull(line);
        return new CallFailure(MalformedInput, $"line {line.Number}, {problem}");
    }

    /// <summary>The failure an outcome's error describes; <paramref name="lastWords"/> tells what a worker said before it died.</summary>
    public static CallFailure From(Exception error, Func<string, string> lastWords)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(lastWords);
        return error switch
        {
            // A remote exception is described by text; its own type name is what the user's code threw.
            RemoteTaskException { RemoteType.Length: > 0 } remote => new CallFailure(remote.RemoteType, Clip(remote.RemoteMessage)),
            WorkerCrashedException { WorkerName.Length: > 0 } crash => new CallFailure(typeof(WorkerCrashedException).FullName!, Crash(crash, lastWords(crash.WorkerName))),
            PoolBrokenException broken => new CallFailure(NotRun, Clip($"not run: the pool broke ({FirstLine(broken.Message)})")),
            _ => new CallFailure(error.GetType().FullName ?? error.GetType().Name, Clip(error.Message)),
        };
    }

    // What killed the call, in a sentence, and the worker's own last words, instead of the crash's stack of frames.
    private static string Crash(WorkerCrashedException crash, string lastWords)
    {
        var how = crash.ExitCode switch
        {
            null => "ended",
            < 0 and var code => $"was killed by signal {(-code).ToString(CultureInfo.InvariantCulture)}{SignalName(-code)}",
            var code => $"exited with code {code.Value.ToString(CultureInfo.InvariantCulture)}",
        };
        var text = $"the worker running this call ({crash.WorkerName}, pid {crash.ProcessId.ToString(CultureInfo.InvariantCulture)}) {how}";
        if (lastWords.Length == 0) lastWords = string.Join(" | ", crash.LastErrorLines.Where(l => !l.TrimStart().StartsWith("at ", StringComparison.Ordinal)).TakeLast(5));
        return Clip(lastWords.Length > 0 ? $"{text}; its last words on stderr: {lastWords}" : text);
    }

    private static string SignalName(int signal) => signal switch
    {
        1 => " (SIGHUP)",
        2 => " (SIGINT)",
        3 => " (SIGQUIT)",
        4 => " (SIGILL)",
        6 => " (SIGABRT: an abort, e.g. Environment.FailFast or an unhandled exception)",
        7 => " (SIGBUS)",
        8 => " (SIGFPE)",
        9 => " (SIGKILL: killed from outside, e.g. the OOM killer or an operator)",
        11 => " (SIGSEGV: a crash in native code)",
        13 => " (SIGPIPE)",
        15 => " (SIGTERM)",
        _ => "",
    };

    private static string FirstLine(string text) => text.Split('\n', 2)[0].TrimEnd('\r');

    private static string Clip(string text) => text.Length <= MessageChars ? text : $"{text[..MessageChars]}… ({text.Length.ToString(CultureInfo.InvariantCulture)} characters in all)";
}
