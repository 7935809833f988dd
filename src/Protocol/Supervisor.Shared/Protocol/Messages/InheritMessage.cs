using System.Buffers;
using MessagePack;
using Supervisor.Protocol.Framing;

namespace Supervisor.Protocol.Messages;

/// <summary>
/// The state a fork-started worker inherits: static members to assign before its initializer and first task.
/// The worker answers <paramref name="TaskId"/> with a Result (nil) once every value is assigned, or an Error.
/// </summary>
/// <param name="TaskId">The id the answer carries.</param>
/// <param name="Values">The members and their values.</param>
internal readonly record struct InheritMessage(long TaskId, IReadOnlyList<InheritedValue> Values) : IFrameMessage
{
    internal const int FieldCount = 2;
    private const int ValueFieldCount = 4;

    /// <summary>Writes the message, envelope included.</summary>
    public void Write(ref MessagePackWriter writer)
    {
        Envelope.WriteHeader(ref writer, MessageKind.Inherit, FieldCount);
        writer.Write(TaskId);
        writer.WriteArrayHeader(Values.Count);
        foreach (var value in Values)
        {
            writer.WriteArrayHeader(ValueFieldCount);
            writer.Write(value.AssemblyPath);
            writer.Write(value.TypeName);
            writer.Write(value.MemberName);
            writer.Write(value.Value.Span);
        }
    }

    /// <summary>Reads the fields that follow the envelope; the values are copied out of the frame.</summary>
    /// <exception cref="ProtocolException">A value is not the four fields it must be.</exception>
    public static InheritMessage Read(ref MessagePackReader reader)
    {
        var taskId = reader.ReadInt64();
        var count = reader.ReadArrayHeader();
        var values = new List<InheritedValue>(count);
        for (var i = 0; i < count; i++)
        {
            if (reader.ReadArrayHeader() != ValueFieldCount)
            {
                throw new ProtocolException($"An inherited value had the wrong number of fields; {ValueFieldCount} were expected.");
            }
            var assemblyPath = WireStrings.Read(ref reader, "assembly path");
            var typeName = WireStrings.Read(ref reader, "type name");
            var memberName = WireStrings.Read(ref reader, "member name");
            var bytes = reader.ReadBytes() ?? throw new ProtocolException($"The inherited value of {memberName} was nil.");
            values.Add(new InheritedValue(assemblyPath, typeName, memberName, bytes.ToArray()));
        }
        return new InheritMessage(taskId, values);
    }
}
