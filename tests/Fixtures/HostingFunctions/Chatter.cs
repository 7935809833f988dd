namespace HostingFunctions;

/// <summary>A call that prints, as user code does: one line to stdout and one to stderr.</summary>
public static class Chatter
{
    public static int Print(string text)
    {
        Console.WriteLine($"out: {text}");
        Console.Error.WriteLine($"err: {text}");
        return text.Length;
    }
}
