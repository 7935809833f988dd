using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Supervisor.Launcher;

/// <summary>
/// Writes one JSON line per call to the output (buffered; the caller flushes whenever it would wait):
/// <c>{"index":0,"line":1,"result":…}</c> or <c>{"index":0,"line":1,"error":{"type":…,"message":…}}</c>.
/// <c>index</c> is the 0-based position of the input line (blank lines count), <c>line</c> its 1-based number.
/// </summary>
/// <remarks>Not thread-safe: one writer per output.</remarks>
internal sealed class JsonResults : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly ArrayBufferWriter<byte> _buffer = new();
    private readonly Utf8JsonWriter _writer;

    /// <summary>Writes to <paramref name="stream"/> and disposes it with itself.</summary>
    public JsonResults(Stream stream)
    {
        _stream = stream;
        // Results are data for programs, never embedded in HTML: keep non-ASCII text readable.
        _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>Writes the result of the call from input line <paramref name="lineIndex"/> (0-based).</summary>
    public ValueTask WriteResultAsync(long lineIndex, object? result, CancellationToken cancellationToken = default)
    {
        StartLine(lineIndex);
        _writer.WritePropertyName("result"u8);
        WriteValue(_writer, result);
        return EndLineAsync(cancellationToken);
    }

    /// <summary>Writes the failure of the call from input line <paramref name="lineIndex"/> (0-based).</summary>
    public ValueTask WriteFailureAsync(long lineIndex, CallFailure failure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(failure);
        StartLine(lineIndex);
        _writer.WriteStartObject("error"u8);
        _writer.WriteString("type"u8, failure.Type);
        _writer.WriteString("message"u8, failure.Message);
        _writer.WriteEndObject();
        return EndLineAsync(cancellationToken);
    }

    /// <summary>
    /// Writes a value as MessagePack hands it back untyped: numbers of any width, strings, booleans, binary
    /// (as base64), timestamps, arrays and maps (keys as text). Non-finite floats become strings, as JSON has none.
    /// </summary>
    public static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case byte[] bytes:
                writer.WriteBase64StringValue(bytes);
                break;
            case double number when double.IsFinite(number):
                writer.WriteNumberValue(number);
                break;
            case float number when float.IsFinite(number):
                writer.WriteNumberValue(number);
                break;
            case double or float:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
            case ulong number:
                writer.WriteNumberValue(number);
                break;
            case sbyte or byte or short or ushort or int or uint or long:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case decimal number:
                writer.WriteNumberValue(number);
                break;
            case DateTime time:
                writer.WriteStringValue(time);
                break;
            case IDictionary map:
                writer.WriteStartObject();
                foreach (DictionaryEntry entry in map)
                {
                    writer.WritePropertyName(KeyText(entry.Key));
                    WriteValue(writer, entry.Value);
                }
                writer.WriteEndObject();
                break;
            case IEnumerable items:
                writer.WriteStartArray();
                foreach (var item in items) WriteValue(writer, item);
                writer.WriteEndArray();
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    /// <summary>Pushes what was written to the file or pipe, so that readers see every result so far.</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default) => _stream.FlushAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        await _stream.DisposeAsync();
    }

    private void StartLine(long lineIndex)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset();
        _writer.WriteStartObject();
        _writer.WriteNumber("index"u8, lineIndex);
        _writer.WriteNumber("line"u8, lineIndex + 1);
    }

    private async ValueTask EndLineAsync(CancellationToken cancellationToken)
    {
        _writer.WriteEndObject();
        _writer.Flush();
        _buffer.Write("\n"u8);
        await _stream.WriteAsync(_buffer.WrittenMemory, cancellationToken);
    }

    private static string KeyText(object? key) => key switch
    {
        null => "null",
        byte[] bytes => Convert.ToBase64String(bytes),
        _ => Convert.ToString(key, CultureInfo.InvariantCulture) ?? "",
    };
}
