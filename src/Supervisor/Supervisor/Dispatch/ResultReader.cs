using System.Diagnostics.CodeAnalysis;
using MessagePack;
using Supervisor.Protocol.Serialization;

namespace Supervisor.Dispatch;

/// <summary>Reads a returned value as the type the caller asked for, turning a mismatch into an error for that call only.</summary>
internal static class ResultReader
{
    public static bool TryRead<T>(ref MessagePackReader reader, [MaybeNullWhen(false)] out T value, [NotNullWhen(false)] out Exception? error)
    {
        try
        {
            value = MessagePackSerializer.Deserialize<T>(ref reader, WireSerializer.Options);
            error = null;
            return true;
        }
        catch (MessagePackSerializationException e)
        {
            value = default;
            error = new RemoteTaskException(
                $"The result cannot be read as {typeof(T).Name}: {e.InnerException?.Message ?? e.Message}. Is the result type of the call right?", e);
            return false;
        }
    }
}
