using System.Globalization;
using System.Reflection;

namespace Supervisor.Launcher;

/// <summary>
/// Checks an input line's values against the parameters they go to, in the launcher, before anything is sent: a
/// value of the wrong kind is said in JSON's terms (<c>expected a string, got the number 42</c>) with its column,
/// instead of the serializer's words from the worker. Parameters of types JSON has no kind for are left to the worker.
/// </summary>
internal sealed class ArgumentCheck
{
    // The collection types a JSON array is written into; others (dictionaries, sets of user types) are the worker's to read.
    private static readonly Type[] ListTypes =
        [typeof(List<>), typeof(IList<>), typeof(IReadOnlyList<>), typeof(IEnumerable<>), typeof(ICollection<>), typeof(IReadOnlyCollection<>)];

    private readonly IReadOnlyList<ParameterInfo> _free;
    private readonly Dictionary<string, ParameterInfo> _byName;

    /// <summary>Checks calls of <paramref name="function"/>; its fixed arguments take no value from a line.</summary>
    public ArgumentCheck(Function function)
    {
        ArgumentNullException.ThrowIfNull(function);
        // A CancellationToken parameter gets the worker's token for the call: it is never an argument.
        var parameters = function.Parameters.Where(p => p.ParameterType != typeof(CancellationToken)).ToList();
        _byName = parameters.ToDictionary(p => p.Name!, StringComparer.Ordinal);
        _free = [.. parameters.Where(p => !function.FixedArguments.ContainsKey(p.Name!))];
    }

    /// <exception cref="InputLineException">A value does not fit its parameter.</exception>
    public void Check(ParsedLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var values = line.Arguments.Named is { } named
            ? line.Sources.Select(s => named[s.Name!])
            : line.Arguments.Positional!;
        using var value = values.GetEnumerator();
        for (var i = 0; i < line.Sources.Count && value.MoveNext(); i++)
        {
            var source = line.Sources[i];
            // Names and counts that do not bind are the binder's to report, with the parameters there are.
            var parameter = source.Name is { } name ? _byName.GetValueOrDefault(name) : i < _free.Count ? _free[i] : null;
            if (parameter is null) continue;
            if (Mismatch(parameter.ParameterType, value.Current) is { } problem)
            {
                throw new InputLineException($"parameter '{parameter.Name}' ({Describe(parameter.ParameterType)}): {problem}", source.Column);
            }
        }
    }

    private static string? Mismatch(Type type, object? value)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (value is null)
        {
            return type.IsValueType && underlying is null ? $"expected {Expected(type)}, got null" : null;
        }
        type = underlying ?? type;
        if (type == typeof(string)) return value is string ? null : Got(type, value);
        if (type == typeof(char)) return value is string { Length: 1 } ? null : Got(type, value);
        if (type == typeof(bool)) return value is bool ? null : Got(type, value);
        if (IsInteger(type))
        {
            if (value is not (long or ulong)) return Got(type, value);
            var number = value is long l ? (decimal)l : (ulong)value;
            var (min, max) = Range(type);
            return number >= min && number <= max ? null : $"the number {Text(value)} is out of range for {type.Name} ({min} to {max})";
        }
        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
        {
            if (value is not (long or ulong or double)) return Got(type, value);
            return type == typeof(float) && value is double d && Math.Abs(d) > float.MaxValue
                ? $"the number {Text(value)} is out of range for Single (at most about ±3.4e38)"
                : null;
        }
        if (type.IsArray || (type.IsGenericType && ListTypes.Contains(type.GetGenericTypeDefinition())))
        {
            return value is object?[] ? null : Got(type, value);
        }
        return null;
    }

    private static bool IsInteger(Type type) =>
        type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte) ||
        type == typeof(uint) || type == typeof(ulong) || type == typeof(ushort) || type == typeof(sbyte);

    private static (decimal Min, decimal Max) Range(Type type) =>
        (Convert.ToDecimal(type.GetField("MinValue")!.GetValue(null), CultureInfo.InvariantCulture),
         Convert.ToDecimal(type.GetField("MaxValue")!.GetValue(null), CultureInfo.InvariantCulture));

    private static string Got(Type type, object value) => $"expected {Expected(type)}, got {Kind(value)}";

    private static string Expected(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string)) return "a string";
        if (type == typeof(char)) return "a string of one character";
        if (type == typeof(bool)) return "true or false";
        if (IsInteger(type)) return "a whole number";
        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal)) return "a number";
        return "an array";
    }

    private static string Kind(object value) => value switch
    {
        string text => $"the string {System.Text.Json.JsonSerializer.Serialize(text.Length > 40 ? text[..40] + "…" : text)}",
        bool flag => flag ? "true" : "false",
        long or ulong or double => $"the number {Text(value)}",
        object?[] => "an array",
        _ => "an object",
    };

    private static string Text(object value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";

    private static string Describe(Type type) => Nullable.GetUnderlyingType(type) is { } inner ? inner.Name + "?" : type.Name;
}
