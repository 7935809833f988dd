using System.Diagnostics.CodeAnalysis;
using MessagePack;
using MessagePack.Formatters;
using Supervisor.Protocol.Serialization;

namespace Supervisor.Results;

/// <summary>
/// Reads returned values as the type the caller asked for, turning a mismatch into an error for that call only.
/// The formatter is looked up once per submission, not once per value; a struct, so a sink holds it without an
/// allocation of its own (keep it in a field that is not readonly, or the cached formatter is lost).
/// </summary>
internal struct ResultReader<T>
{
    // Looked up at the first value, inside the try: a type MessagePack cannot read fails each call, not the submission.
    // Receivers of two workers may race to set it; both find the same formatter.
    private IMessagePackFormatter<T>? _formatter;

    public bool TryRead(ref MessagePackReader reader, [MaybeNullWhen(false)] out T value, [NotNullWhen(false)] out Exception? error)
    {
        try
        {
            _formatter ??= WireSerializer.Options.Resolver.GetFormatterWithVerify<T>();
            value = _formatter.Deserialize(ref reader, WireSerializer.Options);
            error = null;
            return true;
        }
#pragma warning disable CA1031 // Whatever the formatter throws, the value does not read as a T: that call fails, the others go on.
        catch (Exception e)
#pragma warning restore CA1031
        {
            value = default;
            error = new RemoteTaskException(
                $"The result cannot be read as {typeof(T).Name}: {e.Message}. Is the result type of the call right?", e);
            return false;
        }
    }
}
