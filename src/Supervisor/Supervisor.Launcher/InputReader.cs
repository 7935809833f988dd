using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Supervisor.Launcher;

/// <summary>
/// Reads the input one line at a time and parses each into a call, at most <c>capacity</c> lines ahead of the
/// calls taken, so memory stays bounded for any input size. Blank lines are skipped but keep their numbers.
/// </summary>
internal sealed class InputReader
{
    private readonly TextReader _reader;
    private readonly Channel<InputLine> _lines;

    /// <summary>Reads <paramref name="input"/> as UTF-8 text; the caller keeps owning the stream.</summary>
    public InputReader(Stream input, int capacity)
    {
        _reader = Utf8Reader(input);
        _lines = Channel.CreateBounded<InputLine>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true });
    }

    /// <summary>The parsed lines; completed at the end of the input, or with the error that ended reading.</summary>
    public ChannelReader<InputLine> Lines => _lines.Reader;

    /// <summary>Opens the input: stdin for <c>-</c>, else the file (which may be a named pipe).</summary>
    public static Stream Open(LauncherSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.InputIsStandard
            ? Console.OpenStandardInput()
            : new FileStream(settings.InputPath, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
    }

    /// <summary>
    /// The number of calls (non-blank lines) in <paramref name="input"/> when it can be read twice (a regular
    /// file, not a pipe) and is smaller than <paramref name="maxBytes"/>; null otherwise. Rewinds the stream.
    /// </summary>
    public static async Task<long?> CountCallsAsync(Stream input, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!input.CanSeek || input.Length >= maxBytes) return null;
        var count = 0L;
        using (var reader = Utf8Reader(input))
        {
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (!string.IsNullOrWhiteSpace(line)) count++;
            }
        }
        input.Position = 0;
        return count;
    }

    /// <summary>Reads until the input ends or <paramref name="cancellationToken"/> asks to stop reading.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Exception? failure = null;
        try
        {
            for (var index = 0L; await _reader.ReadLineAsync(cancellationToken) is { } text; index++)
            {
                if (string.IsNullOrWhiteSpace(text)) continue;
                await _lines.Writer.WriteAsync(Parse(index, text), cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C: what was read goes on; the rest of the input is left unread.
        }
        catch (IOException e)
        {
            failure = e;
        }
        finally
        {
            _lines.Writer.TryComplete(failure);
        }
    }

    private static InputLine Parse(long index, string text)
    {
        try
        {
            return new InputLine(index, JsonArguments.FromLine(text), null);
        }
        catch (JsonException e)
        {
            // The reader's position suffix counts from 0 within a one-line document; say it as people count.
            var reason = e.Message;
            var position = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
            if (position > 0) reason = $"{reason[..position]} (column {e.BytePositionInLine + 1})";
            return new InputLine(index, null, reason);
        }
    }

    private static StreamReader Utf8Reader(Stream input) =>
        new(input, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024, leaveOpen: true);
}
