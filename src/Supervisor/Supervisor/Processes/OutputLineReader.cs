using System.Globalization;

namespace Supervisor.Processes;

/// <summary>
/// Splits a worker's stdout or stderr into lines (ended by <c>\n</c>, <c>\r\n</c> or <c>\r</c>, as
/// <see cref="TextReader.ReadLine"/> ends them), holding at most <see cref="MaxLineChars"/> of a line: a worker that
/// writes megabytes without a newline must not cost the supervisor as much. The rest of a longer line is counted, not
/// kept, and the line is forwarded with a marker saying how much was left out.
/// </summary>
internal sealed class OutputLineReader(System.Text.Encoding encoding, Action<string> line)
{
    /// <summary>The characters of one line kept and forwarded; past them a line is cut.</summary>
    public const int MaxLineChars = 64 * 1024;

    private const int ChunkBytes = 16 * 1024;

    private readonly System.Text.StringBuilder _line = new();
    private long _leftOut;
    private bool _afterReturn;

    /// <summary>The marker that ends a line cut after <see cref="MaxLineChars"/>, <paramref name="leftOut"/> characters shorter.</summary>
    public static string CutMarker(long leftOut) =>
        string.Create(CultureInfo.InvariantCulture, $" … [line cut: {leftOut} more characters not shown]");

    /// <summary>Reads <paramref name="stream"/> to its end, calling the line handler for each line.</summary>
    public async Task ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var decoder = encoding.GetDecoder();
        var bytes = new byte[ChunkBytes];
        var chars = new char[encoding.GetMaxCharCount(ChunkBytes)];
        int read;
        while ((read = await stream.ReadAsync(bytes, cancellationToken).ConfigureAwait(false)) > 0)
        {
            Take(chars.AsSpan(0, decoder.GetChars(bytes, 0, read, chars, 0, flush: false)));
        }
        Take(chars.AsSpan(0, decoder.GetChars(bytes, 0, 0, chars, 0, flush: true)));
        if (_line.Length > 0 || _leftOut > 0) Emit();
    }

    private void Take(ReadOnlySpan<char> text)
    {
        while (!text.IsEmpty)
        {
            // The \n of a \r\n: the \r ended the line already.
            if (_afterReturn && text[0] == '\n') text = text[1..];
            _afterReturn = false;
            var end = text.IndexOfAny('\r', '\n');
            var piece = end < 0 ? text : text[..end];
            var room = Math.Min(piece.Length, MaxLineChars - _line.Length);
            _line.Append(piece[..room]);
            _leftOut += piece.Length - room;
            if (end < 0) return;
            _afterReturn = text[end] == '\r';
            Emit();
            text = text[(end + 1)..];
        }
    }

    private void Emit()
    {
        if (_leftOut > 0) _line.Append(CutMarker(_leftOut));
        line(_line.ToString());
        _line.Clear();
        _leftOut = 0;
    }
}
