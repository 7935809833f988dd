using System.Text;
using System.Text.Unicode;

namespace Supervisor.Launcher;

/// <summary>Makes an input line's bytes into a call, or says what is wrong and where: UTF-8, then JSON, then the parameters' types.</summary>
internal sealed class LineParser(ArgumentCheck check)
{
    /// <summary>The call of line <paramref name="index"/> (0-based), or its problem.</summary>
    public InputLine Parse(long index, ReadOnlySpan<byte> line)
    {
        try
        {
            if (!Utf8.IsValid(line)) throw new InputLineException("the line is not valid UTF-8", InvalidUtf8Column(line));
            var parsed = JsonArguments.FromLine(line);
            check.Check(parsed);
            return new InputLine(index, parsed.Arguments, null);
        }
        catch (InputLineException e)
        {
            return new InputLine(index, null, e.Message);
        }
    }

    // Only for a line already found invalid: where its first bad sequence starts.
    private static long InvalidUtf8Column(ReadOnlySpan<byte> line)
    {
        var position = 0;
        while (position < line.Length && Rune.DecodeFromUtf8(line[position..], out _, out var consumed) == System.Buffers.OperationStatus.Done)
        {
            position += consumed;
        }
        return position + 1;
    }
}
