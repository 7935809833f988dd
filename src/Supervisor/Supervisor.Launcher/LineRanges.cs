using System.Globalization;
using System.Text;

namespace Supervisor.Launcher;

/// <summary>Sorted line numbers as people read them: <c>2-5, 9, 12-40</c>, the first few ranges and a count of the rest.</summary>
internal static class LineRanges
{
    private const int RangesShown = 10;

    /// <summary>Describes <paramref name="sorted"/> (ascending line numbers).</summary>
    public static string Describe(IReadOnlyList<long> sorted)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        var text = new StringBuilder();
        var ranges = 0;
        for (var i = 0; i < sorted.Count;)
        {
            var j = i;
            while (j + 1 < sorted.Count && sorted[j + 1] == sorted[j] + 1) j++;
            if (++ranges > RangesShown)
            {
                text.Append(CultureInfo.InvariantCulture, $", … ({sorted.Count - i} more lines)");
                break;
            }
            if (text.Length > 0) text.Append(", ");
            text.Append(sorted[i].ToString(CultureInfo.InvariantCulture));
            if (j > i) text.Append('-').Append(sorted[j].ToString(CultureInfo.InvariantCulture));
            i = j + 1;
        }
        return $"{text} ({sorted.Count.ToString(CultureInfo.InvariantCulture)} lines)";
    }
}
