using System.Text.Json;

namespace Supervisor.Launcher;

/// <summary>
/// Turns JSON into call arguments. An input line becomes named arguments (an object), positional arguments
/// (an array) or a single argument (anything else); values become plain .NET data, which the worker reads by
/// each parameter's declared type.
/// </summary>
internal static class JsonArguments
{
    // Two values for one parameter name is a mistake in the line, not a "last one wins".
    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false };

    /// <summary>The arguments of one input line.</summary>
    /// <exception cref="JsonException">The line is not valid JSON.</exception>
    public static Arguments FromLine(string line)
    {
        using var document = JsonDocument.Parse(line, Strict);
        var root = document.RootElement;
        return root.ValueKind switch
        {
            JsonValueKind.Object => Arguments.FromNamed(ToDictionary(root)),
            JsonValueKind.Array => Arguments.Of(ToArray(root)),
            _ => Arguments.Of(ToPlainValue(root)),
        };
    }

    /// <summary>
    /// The value of <c>--arg name=JSON</c> for a parameter of <paramref name="parameterType"/>. A fixed argument is
    /// checked against its parameter's type before it is sent, so it is read as that type here, not as plain data.
    /// </summary>
    /// <exception cref="JsonException">The text is not valid JSON, or not a <paramref name="parameterType"/>.</exception>
    public static object? ForParameter(string json, Type parameterType)
    {
        ArgumentNullException.ThrowIfNull(parameterType);
        if (parameterType == typeof(object)) return ToPlainValue(json);
        return JsonSerializer.Deserialize(json, parameterType, JsonSerializerOptions.Default);
    }

    /// <summary>The JSON text as plain data.</summary>
    /// <exception cref="JsonException">The text is not valid JSON.</exception>
    public static object? ToPlainValue(string json)
    {
        using var document = JsonDocument.Parse(json, Strict);
        return ToPlainValue(document.RootElement);
    }

    /// <summary>
    /// A JSON value as plain data: integers as <see cref="long"/> (<see cref="ulong"/> above its range), other
    /// numbers as <see cref="double"/>, arrays as <c>object?[]</c>, objects as <c>Dictionary&lt;string, object?&gt;</c>.
    /// </summary>
    public static object? ToPlainValue(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => ToDictionary(element),
        JsonValueKind.Array => ToArray(element),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => ToNumber(element),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static object ToNumber(JsonElement element)
    {
        if (element.TryGetInt64(out var integer)) return integer;
        if (element.TryGetUInt64(out var large)) return large;
        return element.GetDouble();
    }

    private static object?[] ToArray(JsonElement element)
    {
        var values = new object?[element.GetArrayLength()];
        var i = 0;
        foreach (var item in element.EnumerateArray()) values[i++] = ToPlainValue(item);
        return values;
    }

    private static Dictionary<string, object?> ToDictionary(JsonElement element)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject()) values[property.Name] = ToPlainValue(property.Value);
        return values;
    }
}
