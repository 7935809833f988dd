namespace LauncherFunctions;

/// <summary>String functions, one with a default parameter.</summary>
public static class Text
{
    public static string Greet(string name, string greeting = "Hello") => $"{greeting}, {name}!";

    /// <summary>Writes to the worker's stdout and stderr, which the launcher forwards to its own stderr.</summary>
    public static int Chatty(int x)
    {
        Console.WriteLine($"chatty out {x}");
        Console.Error.WriteLine($"chatty err {x}");
        return x;
    }
}
