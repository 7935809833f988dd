using System.Buffers;
using System.Globalization;
using System.Threading.Channels;

namespace Supervisor.Launcher;

/// <summary>
/// Reads the input as bytes, one line at a time, and parses each into a call, at most <c>capacity</c> lines ahead of
/// the calls taken. A line longer than <c>maxLineBytes</c> is not held: it becomes a per-line error, so memory stays
/// bounded for any input. Blank lines are skipped but keep their numbers; so are the lines a resumed run already has.
/// </summary>
internal sealed class InputReader
{
    private const int ChunkBytes = 64 * 1024;

    private readonly Stream _input;
    private readonly int _maxLineBytes;
    private readonly LineParser _parser;
    private readonly IndexSet _done;
    private readonly Channel<InputLine> _lines;

    /// <summary>
    /// Reads <paramref name="input"/> (the caller keeps owning it) up to <paramref name="capacity"/> lines ahead, each
    /// of at most <paramref name="maxLineBytes"/>, through <paramref name="parser"/>, skipping the lines in
    /// <paramref name="done"/> (a resumed run's output has them).
    /// </summary>
    public InputReader(Stream input, int capacity, int maxLineBytes, LineParser parser, IndexSet done)
    {
        _input = input;
        _maxLineBytes = maxLineBytes;
        _parser = parser;
        _done = done;
        _lines = Channel.CreateBounded<InputLine>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true });
    }

    /// <summary>The parsed lines; completed at the end of the input, or with the error that ended reading.</summary>
    public ChannelReader<InputLine> Lines => _lines.Reader;

    /// <summary>True once the whole input was read (not stopped part-way).</summary>
    public bool ReachedEnd { get; private set; }

    /// <summary>How many lines (blank ones included) were read so far.</summary>
    public long LinesRead { get; private set; }

    /// <summary>Opens the input: stdin for <c>-</c>, else the file (which may be a named pipe).</summary>
    public static Stream Open(LauncherSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.InputIsStandard
            ? Console.OpenStandardInput()
            : new FileStream(settings.InputPath, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
    }

    /// <summary>
    /// The number of calls (non-blank lines not in <paramref name="done"/>) in <paramref name="input"/> when it can be
    /// read twice (a regular file, not a pipe) and is smaller than <paramref name="maxBytes"/>; null otherwise. Rewinds.
    /// </summary>
    public static async Task<long?> CountCallsAsync(Stream input, long maxBytes, IndexSet done, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(done);
        if (!input.CanSeek || input.Length >= maxBytes) return null;
        var count = 0L;
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            var (index, blank) = (0L, true);
            int read;
            while ((read = await input.ReadAsync(buffer.AsMemory(0, ChunkBytes), cancellationToken)) > 0)
            {
                foreach (var b in buffer.AsSpan(0, read))
                {
                    if (b == (byte)'\n')
                    {
                        if (!blank && !done.Contains(index)) count++;
                        (index, blank) = (index + 1, true);
                    }
                    else if (!IsBlank(b))
                    {
                        blank = false;
                    }
                }
            }
            if (!blank && !done.Contains(index)) count++;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        input.Position = 0;
        return count;
    }

    /// <summary>Reads until the input ends or <paramref name="cancellationToken"/> asks to stop reading.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Exception? failure = null;
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        var line = new ArrayBufferWriter<byte>();
        long index = 0, length = 0;
        var start = true;
        try
        {
            int read;
            while ((read = await _input.ReadAsync(chunk.AsMemory(0, ChunkBytes), cancellationToken)) > 0)
            {
                var position = 0;
                if (start && chunk.AsSpan(0, read).StartsWith("\uFEFF"u8)) position = 3; // a UTF-8 byte order mark
                start = false;
                while (true)
                {
                    var end = Array.IndexOf(chunk, (byte)'\n', position, read - position);
                    var pieceLength = (end < 0 ? read : end) - position;
                    // Past the limit the line is only counted, not kept.
                    if (length + pieceLength <= _maxLineBytes) line.Write(chunk.AsSpan(position, pieceLength));
                    length += pieceLength;
                    if (end < 0) break;
                    await EmitAsync(index++, line, length, cancellationToken);
                    length = 0;
                    position = end + 1;
                    line = Reuse(line);
                }
            }
            if (length > 0) await EmitAsync(index++, line, length, cancellationToken);
            ReachedEnd = true;
        }
        catch (OperationCanceledException)
        {
            // Stopped: what was read goes on; the rest of the input is left unread.
        }
        catch (IOException e)
        {
            failure = e;
        }
        finally
        {
            LinesRead = index;
            ArrayPool<byte>.Shared.Return(chunk);
            _lines.Writer.TryComplete(failure);
        }
    }

    private async ValueTask EmitAsync(long index, ArrayBufferWriter<byte> line, long length, CancellationToken cancellationToken)
    {
        if (_done.Contains(index)) return;
        if (length > _maxLineBytes)
        {
            var limit = _maxLineBytes.ToString(CultureInfo.InvariantCulture);
            await _lines.Writer.WriteAsync(new InputLine(index, null,
                $"column {(_maxLineBytes + 1L).ToString(CultureInfo.InvariantCulture)}: the line is {length.ToString(CultureInfo.InvariantCulture)} bytes long, more than --max-line-bytes {limit}; raise the limit to run it"), cancellationToken);
            return;
        }
        var text = line.WrittenSpan;
        if (text.Length > 0 && text[^1] == (byte)'\r') text = text[..^1];
        if (IsBlank(text)) return;
        await _lines.Writer.WriteAsync(_parser.Parse(index, text), cancellationToken);
    }

    // A line far longer than usual leaves a large buffer behind: let it go rather than keep it for the small ones.
    private static ArrayBufferWriter<byte> Reuse(ArrayBufferWriter<byte> line)
    {
        if (line.Capacity > 4 * ChunkBytes) return new ArrayBufferWriter<byte>();
        line.ResetWrittenCount();
        return line;
    }

    private static bool IsBlank(ReadOnlySpan<byte> text)
    {
        foreach (var b in text)
        {
            if (!IsBlank(b)) return false;
        }
        return true;
    }

    private static bool IsBlank(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r';
}
