namespace UserFunctions;

/// <summary>Calls whose own code fails, as a user's bug would: an exception, not a dead worker.</summary>
public static class Raising
{
    /// <summary>Appends one <c>x</c> to <paramref name="runs"/>, so a test can count the runs, then throws.</summary>
    public static int CountThenThrow(string runs)
    {
        File.AppendAllText(runs, "x");
        throw new InvalidOperationException("the user's code failed");
    }
}
