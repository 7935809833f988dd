namespace LauncherFunctions;

/// <summary>Functions that return structured values: a record, a dictionary, arrays, bytes.</summary>
public static class Shapes
{
    public static Point MakePoint(double x, double y) => new(x, y, $"({x}, {y})");

    public static Dictionary<string, int> CountLetters(string word) =>
        word.GroupBy(c => c).ToDictionary(g => g.Key.ToString(), g => g.Count());

    public static int[] Range(int count) => Enumerable.Range(0, count).ToArray();

    public static byte[] Bytes(int count) => Enumerable.Range(1, count).Select(i => (byte)i).ToArray();

    public static double Sum(double[] values) => values.Sum();

    public static object? Echo(object? value) => value;
}
