namespace UserFunctions;

/// <summary>User code that prints more than anyone would read.</summary>
public static class Chatter
{
    /// <summary>
    /// Writes <paramref name="chars"/> x's without a newline to stdout (or stderr), then a newline and "after";
    /// returns <paramref name="chars"/>.
    /// </summary>
    public static int WriteLongLine(int chars, bool toError)
    {
        var writer = toError ? Console.Error : Console.Out;
        var block = new string('x', 64 * 1024);
        for (var left = chars; left > 0; left -= block.Length) writer.Write(left >= block.Length ? block : block[..left]);
        writer.WriteLine();
        writer.WriteLine("after");
        writer.Flush();
        return chars;
    }
}
