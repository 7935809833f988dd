namespace LauncherFunctions;

/// <summary>Functions that return structured values: a record, or whatever they were given.</summary>
public static class Shapes
{
    public static Point MakePoint(double x, double y) => new(x, y, $"({x}, {y})");

    public static object? Echo(object? value) => value;
}
