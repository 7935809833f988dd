using System.Globalization;

namespace IsolatedTests;

/// <summary>Code that changes its process for good: what a normal test cannot run twice, or at all.</summary>
public static class CodeUnderTest
{
    private static readonly List<byte[]> Cache = [];

    /// <summary>Reads its setting once, from the environment, into a static: the first test to run wins.</summary>
    public static string Mode { get; } = Environment.GetEnvironmentVariable("APP_MODE") ?? "production";

    /// <summary>Sends the whole process's HTTP traffic through a proxy, as some start-up code does.</summary>
    public static void UseProxy(string url) => Environment.SetEnvironmentVariable("HTTPS_PROXY", url);

    /// <summary>Formats a price in the current culture.</summary>
    public static string Price(decimal amount) => amount.ToString("0.00", CultureInfo.CurrentCulture);

    /// <summary>Ends the process when its configuration is missing, as command-line tools do.</summary>
    public static void RequireConfiguration(string path)
    {
        if (!File.Exists(path)) Environment.Exit(78);
    }

    /// <summary>Gives up on corrupt state at once, with no cleanup and no catch.</summary>
    public static void Corrupt() => Environment.FailFast("state is corrupt");

    /// <summary>Keeps every block it is given, for the life of the process.</summary>
    public static long Remember(int megabytes)
    {
        var block = new byte[megabytes << 20];
        Array.Fill(block, (byte)1);
        Cache.Add(block);
        return Cache.Sum(b => (long)b.Length);
    }

    /// <summary>How many blocks this process holds.</summary>
    public static int Remembered => Cache.Count;
}
