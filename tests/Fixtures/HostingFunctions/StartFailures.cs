namespace HostingFunctions;

/// <summary>An initializer that says why on stderr and exits, as a worker missing its configuration would.</summary>
public static class StartFailures
{
    public static void WriteErrorAndExit(string message)
    {
        Console.Error.WriteLine(message);
        Console.Error.Flush();
        Environment.Exit(3);
    }
}
