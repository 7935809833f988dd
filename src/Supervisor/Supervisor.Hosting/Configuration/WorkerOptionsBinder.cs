using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Supervisor.Hosting.Configuration;

/// <summary>
/// Sets <see cref="WorkerOptions"/> (or <see cref="ProcessQueueOptions"/>) from a configuration section. Not
/// <c>ConfigurationBinder</c>: times are also read as <c>30s</c>, and every key is checked, so that a typo or a
/// value that does not convert is an error naming the key and the value instead of a default silently kept.
/// </summary>
internal static class WorkerOptionsBinder
{
    /// <exception cref="OptionsValidationException">Some keys are unknown or their values do not convert; every one is listed.</exception>
    public static void Bind(IConfigurationSection section, WorkerOptions options, string name)
    {
        var failures = new List<string>();
        foreach (var child in section.GetChildren())
        {
            var property = options.GetType().GetProperty(child.Key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null || property.SetMethod is not { IsPublic: true })
            {
                failures.Add($"{child.Path}: {options.GetType().Name} has no option '{child.Key}'. The options are: {string.Join(", ", BindableNames(options.GetType()))}.");
                continue;
            }
            if (!TryConvert(child, property.PropertyType, out var value, out var error))
            {
                failures.Add($"{child.Path} = '{child.Value}': {error}");
                continue;
            }
            property.SetValue(options, value);
        }
        if (failures.Count > 0) throw new OptionsValidationException(name, options.GetType(), failures);
    }

    private static IEnumerable<string> BindableNames(Type optionsType) =>
        optionsType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true } && IsBindable(p.PropertyType))
            .Select(p => p.Name);

    private static bool IsBindable(Type type)
    {
        var inner = Nullable.GetUnderlyingType(type) ?? type;
        return inner == typeof(string) || inner == typeof(int) || inner == typeof(long) || inner == typeof(TimeSpan) || inner.IsEnum
            || type == typeof(IReadOnlyDictionary<string, string?>);
    }

    private static bool TryConvert(IConfigurationSection section, Type type, out object? value, out string? error)
    {
        value = null;
        error = null;
        if (type == typeof(IReadOnlyDictionary<string, string?>))
        {
            value = section.GetChildren().ToDictionary(c => c.Key, c => c.Value);
            return true;
        }
        var text = section.Value;
        var nullable = Nullable.GetUnderlyingType(type);
        var inner = nullable ?? type;
        if (!IsBindable(type))
        {
            error = $"{section.Key} is set in code (AddProcessPool(name, o => o.{section.Key} = …)), not from configuration.";
            return false;
        }
        if (text is null)
        {
            error = "a value was expected, not a section.";
            return false;
        }
        if (text.Length == 0 && (nullable is not null || inner == typeof(string))) return true;
        if (inner == typeof(string))
        {
            value = text;
            return true;
        }
        if (inner == typeof(int) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var integer))
        {
            value = integer;
            return true;
        }
        if (inner == typeof(long) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
        {
            value = number;
            return true;
        }
        if (inner == typeof(TimeSpan)) return TryParseTime(text, out value, out error);
        if (inner.IsEnum)
        {
            if (Enum.TryParse(inner, text, ignoreCase: true, out var member) && Enum.IsDefined(inner, member!) && !char.IsAsciiDigit(text[0]))
            {
                value = member;
                return true;
            }
            error = $"not one of {string.Join(", ", Enum.GetNames(inner))}.";
            return false;
        }
        error = $"not a whole number ({inner.Name}).";
        return false;
    }

    // Both the .NET form (00:00:30, as ConfigurationBinder reads it) and the short one people write (30s).
    private static bool TryParseTime(string text, out object? value, out string? error)
    {
        value = null;
        if (text.Contains(':', StringComparison.Ordinal))
        {
            if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var time))
            {
                value = time;
                error = null;
                return true;
            }
            error = "not a time; write 00:00:30 or 30s (also ms, m, h).";
            return false;
        }
        if (DurationParser.TryParse(text, out var duration, out error))
        {
            value = duration;
            return true;
        }
        error += " Or write 00:00:30.";
        return false;
    }
}
