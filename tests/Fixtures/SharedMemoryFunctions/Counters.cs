using Supervisor.SharedMemory;

namespace SharedMemoryFunctions;

/// <summary>Read-modify-write on shared memory from several processes at once.</summary>
public static class Counters
{
    public static long Increment(SharedValue<long> counter, int times)
    {
        var last = 0L;
        for (var i = 0; i < times; i++) last = counter.Update(v => v + 1);
        return last;
    }

    public static int FillSquares(SharedArray<int> squares)
    {
        for (var i = 0; i < squares.Length; i++) squares[i] = i * i;
        return squares.Length;
    }

    public static int ReadInt(SharedValue<int> value) => value.Value;

    /// <summary>Takes the value's lock, says so through a file, and never lets go: for the test that kills it.</summary>
    public static int HoldTheLockForever(SharedValue<int> value, string holdingMarker) =>
        value.Update(v =>
        {
            File.WriteAllText(holdingMarker, "holding");
            Thread.Sleep(Timeout.Infinite);
            return v;
        });
}
