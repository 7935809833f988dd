namespace UserFunctions;

/// <summary>
/// Items that finish in a chosen order, with no timing: item 0 waits until the last item has left a file behind,
/// so item 0's result is the last to arrive.
/// </summary>
public static class Ordering
{
    public static int FirstWaitsForLast(int item, int last, string directory)
    {
        var mark = Path.Combine(directory, $"{last}.done");
        if (item == 0) FileGate.WaitFor(mark, TimeSpan.FromSeconds(60));
        if (item == last) File.WriteAllText(mark, "done");
        return item;
    }
}
