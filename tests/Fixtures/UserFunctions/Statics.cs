namespace UserFunctions;

/// <summary>Static state, to show what a spawned worker starts with (Python experiment 000, "Global Variables").</summary>
public static class Statics
{
    public static int Counter = 10;

    public static string Prefix = "unset";

    public static int ReadCounter(int ignored) => Counter;

    public static int AddToCounter(int by) => Counter += by;

    public static void SetPrefix(string prefix) => Prefix = prefix;

    public static string WithPrefix(string text) => $"{Prefix}:{text}";

    public static int ProcessId(int ignored) => Environment.ProcessId;
}
