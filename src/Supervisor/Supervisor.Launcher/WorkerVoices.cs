namespace Supervisor.Launcher;

/// <summary>
/// Forwards what workers print to stderr without letting a dying worker's stack trace flood it (the first frames of
/// a run of frames are shown, the rest counted), and keeps each worker's last words: the stderr lines that are not
/// stack frames (a FailFast message, an unhandled exception's text), for the error row of the call its death took.
/// </summary>
internal sealed class WorkerVoices(Action<string> write)
{
    private const int FramesShown = 3;
    private const int LastWordsKept = 5;
    private const int LineChars = 300;

    private readonly object _gate = new();
    private readonly Dictionary<string, Voice> _voices = new(StringComparer.Ordinal);

    /// <summary>Forwards one line a worker printed. Thread-safe: workers' lines arrive on their own threads.</summary>
    public void Forward(WorkerOutputLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        lock (_gate)
        {
            if (!_voices.TryGetValue(line.WorkerName, out var voice)) _voices[line.WorkerName] = voice = new Voice();
            if (IsFrame(line.Text))
            {
                if (++voice.Frames > FramesShown) return;
            }
            else
            {
                if (voice.Frames > FramesShown) write($"[{line.WorkerName}] … {voice.Frames - FramesShown} more stack frames");
                voice.Frames = 0;
                if (line.IsError && line.Text.Trim().Length > 0)
                {
                    if (voice.LastWords.Count == LastWordsKept) voice.LastWords.Dequeue();
                    voice.LastWords.Enqueue(line.Text.Length > LineChars ? line.Text[..LineChars] + "…" : line.Text.Trim());
                }
            }
            write(line.ToString());
        }
    }

    /// <summary>The last stderr lines of <paramref name="workerName"/> that are not stack frames, joined; empty if none.</summary>
    public string LastWords(string workerName)
    {
        lock (_gate) return _voices.TryGetValue(workerName, out var voice) ? string.Join(" | ", voice.LastWords) : "";
    }

    private static bool IsFrame(string text) => text.TrimStart().StartsWith("at ", StringComparison.Ordinal) && text.StartsWith(' ');

    private sealed class Voice
    {
        public Queue<string> LastWords { get; } = new();

        public int Frames { get; set; }
    }
}
