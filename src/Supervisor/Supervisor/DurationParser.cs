using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Supervisor;

/// <summary>Reads durations as people write them on a command line or in a configuration file: <c>500ms</c>, <c>30s</c>, <c>2m</c>, <c>1.5h</c>.</summary>
internal static class DurationParser
{
    /// <summary>Parses <paramref name="text"/>, or says what is wrong with it.</summary>
    public static bool TryParse(string text, out TimeSpan duration, [NotNullWhen(false)] out string? error)
    {
        duration = default;
        var trimmed = text.Trim();
        // The unit starts at the first letter: 30s, 1.5h.
        var split = trimmed.AsSpan().IndexOfAnyInRange('a', 'z');
        if (split <= 0)
        {
            error = $"'{text}' is not a duration; write a number and a unit: 500ms, 30s, 2m or 1h.";
            return false;
        }
        var unitText = trimmed[split..];
        var unit = unitText switch
        {
            "ms" => TimeSpan.FromMilliseconds(1),
            "s" => TimeSpan.FromSeconds(1),
            "m" => TimeSpan.FromMinutes(1),
            "h" => TimeSpan.FromHours(1),
            _ => TimeSpan.Zero,
        };
        if (unit == TimeSpan.Zero)
        {
            error = $"'{text}' has an unknown unit '{unitText}'; use ms, s, m or h.";
            return false;
        }
        if (!double.TryParse(trimmed.AsSpan(0, split), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            error = $"'{text}' does not start with a number.";
            return false;
        }
        var ticks = amount * unit.Ticks;
        if (ticks < 1 || ticks >= TimeSpan.MaxValue.Ticks)
        {
            error = $"'{text}' is not a positive duration within range.";
            return false;
        }
        duration = TimeSpan.FromTicks((long)ticks);
        error = null;
        return true;
    }
}
