using Supervisor.Dispatch;
using Supervisor.Protocol.Messages;

namespace Supervisor.Encoding;

/// <summary>
/// How an item of a queue becomes a call, by its type: an <see cref="Arguments"/> as it says; a dictionary of
/// string to value as named arguments (the seed's <c>fn(**data)</c>); anything else as the single argument.
/// The launcher reads JSON lines by the same rule.
/// </summary>
internal static class ItemEncoding
{
    public static ArgumentMode ModeOf<T>(T item) => item switch
    {
        Arguments arguments => ArgumentEncoder.ModeOf(arguments),
        IReadOnlyDictionary<string, object?> => ArgumentMode.Named,
        _ => ArgumentMode.Positional,
    };

    public static void Write<T>(ArgumentEncoder encoder, WorkItem item, Function function, T value)
    {
        switch (value)
        {
            case Arguments arguments:
                encoder.WriteArguments(item, function, arguments);
                break;
            case IReadOnlyDictionary<string, object?> named:
                encoder.WriteArguments(item, function, Arguments.FromNamed(named));
                break;
            default:
                encoder.WriteSingle(item, value);
                break;
        }
    }
}
