using System.Buffers;
using MessagePack;
using Supervisor.Protocol.Functions;

namespace Supervisor.Protocol.Messages;

/// <summary>
/// Binds <paramref name="FunctionId"/> to a method, once per worker, so that tasks carry a small integer
/// instead of a method's name.
/// </summary>
/// <param name="FunctionId">The id later <see cref="TaskMessage"/>s use.</param>
/// <param name="Function">Where the method is.</param>
/// <param name="FixedArguments">
/// Arguments bound ahead of time (Python's <c>functools.partial</c>): a serialized MessagePack map from
/// parameter name to value, or empty.
/// </param>
internal readonly record struct DefineMessage(int FunctionId, FunctionReference Function, ReadOnlyMemory<byte> FixedArguments) : IFrameMessage
{
    internal const int FieldCount = 6;

    /// <summary>Writes the message, envelope included.</summary>
    public void Write(ref MessagePackWriter writer)
    {
        Envelope.WriteHeader(ref writer, MessageKind.Define, FieldCount);
        writer.Write(FunctionId);
        writer.Write(Function.AssemblyPath);
        writer.Write(Function.TypeName);
        writer.Write(Function.MethodName);
        writer.Write(Function.MetadataToken);
        if (FixedArguments.IsEmpty) writer.WriteNil();
        else writer.WriteRaw(FixedArguments.Span);
    }

    /// <summary>Reads the fields that follow the envelope; the fixed arguments are copied out of the frame.</summary>
    public static DefineMessage Read(ref MessagePackReader reader)
    {
        var id = reader.ReadInt32();
        var function = new FunctionReference(
            WireStrings.Read(ref reader, "assembly path"),
            WireStrings.Read(ref reader, "type name"),
            WireStrings.Read(ref reader, "method name"),
            reader.ReadInt32());
        ReadOnlyMemory<byte> fixedArguments = default;
        if (!reader.TryReadNil())
        {
            fixedArguments = reader.ReadRaw().ToArray();
        }
        return new DefineMessage(id, function, fixedArguments);
    }
}
