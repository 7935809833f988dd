using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Supervisor.Launcher;

/// <summary>
/// Turns JSON into call arguments. An input line becomes named arguments (an object), positional arguments
/// (an array) or a single argument (anything else); values become plain .NET data, which the worker reads by
/// each parameter's declared type. Each argument keeps the column it starts at, so that a later check can say where.
/// </summary>
internal static class JsonArguments
{
    // Nesting as deep as the reader allows by default; deeper input is refused by the reader with its position.
    private static readonly JsonReaderOptions Reader = new() { MaxDepth = 64 };

    private delegate T Body<out T>(ref Utf8JsonReader reader);

    /// <summary>The arguments of one input line (UTF-8, already checked to be valid UTF-8).</summary>
    /// <exception cref="InputLineException">The line is not valid JSON, repeats a name, or holds a number out of range.</exception>
    public static ParsedLine FromLine(ReadOnlySpan<byte> line) => Parse(line, static (ref Utf8JsonReader reader) =>
    {
        var column = Column(ref reader);
        return reader.TokenType switch
        {
            JsonTokenType.StartObject => Named(ref reader),
            JsonTokenType.StartArray => Positional(ref reader),
            _ => new ParsedLine(Arguments.Of(ReadValue(ref reader)), [new ArgumentSource(null, column)]),
        };
    });

    /// <summary>The JSON text as plain data (see <see cref="ReadValue"/>).</summary>
    /// <exception cref="InputLineException">The text is not valid JSON, repeats a name, or holds a number out of range.</exception>
    public static object? ToPlainValue(string json) => Parse(System.Text.Encoding.UTF8.GetBytes(json), static (ref Utf8JsonReader reader) => ReadValue(ref reader));

    private static T Parse<T>(ReadOnlySpan<byte> line, Body<T> body)
    {
        var reader = new Utf8JsonReader(line, Reader);
        try
        {
            Next(ref reader);
            var parsed = body(ref reader);
            // One value per line: anything after it is a second document.
            if (reader.Read()) throw new InputLineException("more than one JSON value on the line", Column(ref reader));
            return parsed;
        }
        catch (JsonException e)
        {
            // The reader's message ends with its own position, counted from 0; say it once, as people count.
            var reason = e.Message;
            var suffix = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
            if (suffix > 0) reason = reason[..suffix];
            throw new InputLineException(reason.TrimEnd('.', ' '), (e.BytePositionInLine ?? 0) + 1);
        }
    }

    /// <summary>
    /// The value of <c>--arg name=JSON</c> for a parameter of <paramref name="parameterType"/>. A fixed argument is
    /// checked against its parameter's type before it is sent, so it is read as that type here, not as plain data.
    /// </summary>
    /// <exception cref="JsonException">The text is not valid JSON, or not a <paramref name="parameterType"/>.</exception>
    /// <exception cref="InputLineException">The text holds a number out of range or a repeated name.</exception>
    public static object? ForParameter(string json, Type parameterType)
    {
        ArgumentNullException.ThrowIfNull(parameterType);
        if (parameterType == typeof(object)) return ToPlainValue(json);
        return JsonSerializer.Deserialize(json, parameterType, JsonSerializerOptions.Default);
    }

    private static ParsedLine Named(ref Utf8JsonReader reader)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        var sources = new List<ArgumentSource>();
        while (Next(ref reader) != JsonTokenType.EndObject)
        {
            var (name, nameColumn) = (reader.GetString()!, Column(ref reader));
            Next(ref reader);
            var column = Column(ref reader);
            // Two values for one parameter name is a mistake in the line, not a "last one wins".
            if (!values.TryAdd(name, ReadValue(ref reader))) throw new InputLineException($"the name '{name}' appears twice", nameColumn);
            sources.Add(new ArgumentSource(name, column));
        }
        return new ParsedLine(Arguments.FromNamed(values), sources);
    }

    private static ParsedLine Positional(ref Utf8JsonReader reader)
    {
        var values = new List<object?>();
        var sources = new List<ArgumentSource>();
        while (Next(ref reader) != JsonTokenType.EndArray)
        {
            sources.Add(new ArgumentSource(null, Column(ref reader)));
            values.Add(ReadValue(ref reader));
        }
        return new ParsedLine(Arguments.Of([.. values]), sources);
    }

    /// <summary>
    /// The value at the reader as plain data: integers as <see cref="long"/> (<see cref="ulong"/> above its range),
    /// other numbers as <see cref="double"/>, arrays as <c>object?[]</c>, objects as <c>Dictionary&lt;string, object?&gt;</c>.
    /// </summary>
    private static object? ReadValue(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                while (Next(ref reader) != JsonTokenType.EndObject)
                {
                    var (name, column) = (reader.GetString()!, Column(ref reader));
                    Next(ref reader);
                    if (!map.TryAdd(name, ReadValue(ref reader))) throw new InputLineException($"the name '{name}' appears twice in an object", column);
                }
                return map;
            case JsonTokenType.StartArray:
                var items = new List<object?>();
                while (Next(ref reader) != JsonTokenType.EndArray) items.Add(ReadValue(ref reader));
                return items.ToArray();
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Number:
                return ReadNumber(ref reader);
            case JsonTokenType.True:
                return true;
            case JsonTokenType.False:
                return false;
            default:
                return null;
        }
    }

    private static object ReadNumber(ref Utf8JsonReader reader)
    {
        if (reader.TryGetInt64(out var integer)) return integer;
        if (reader.TryGetUInt64(out var large)) return large;
        // A number past double's range would silently become Infinity: refuse it where it stands.
        if (reader.TryGetDouble(out var number) && double.IsFinite(number)) return number;
        var text = System.Text.Encoding.UTF8.GetString(reader.ValueSpan);
        if (text.Length > 40) text = $"{text[..20]}…({text.Length.ToString(CultureInfo.InvariantCulture)} characters)";
        throw new InputLineException($"the number {text} is out of range: JSON numbers here must fit a double (at most about ±1.8e308)", Column(ref reader));
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read()) throw new InputLineException("the line ends before its JSON value does", reader.BytesConsumed + 1);
        return reader.TokenType;
    }

    private static long Column(ref Utf8JsonReader reader) => reader.TokenStartIndex + 1;
}
