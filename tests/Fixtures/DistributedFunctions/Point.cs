namespace DistributedFunctions;

/// <summary>A value of a user's sealed type, read and written by MessagePack's contractless formatter on both sides.</summary>
public sealed class Point
{
    public int X { get; set; }

    public int Y { get; set; }
}
