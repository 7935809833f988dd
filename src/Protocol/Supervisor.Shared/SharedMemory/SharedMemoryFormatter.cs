using MessagePack;
using MessagePack.Formatters;
using Supervisor.Protocol.Serialization;

namespace Supervisor.SharedMemory;

/// <summary>
/// Writes a shared-memory object as <c>[path, length, element size]</c> and maps the same file when reading it
/// back, so both processes hold the same pages. The receiving side's declared type decides the element type;
/// a different element size is refused with the sizes named.
/// </summary>
/// <typeparam name="TShared">SharedValue&lt;T&gt; or SharedArray&lt;T&gt;.</typeparam>
internal abstract class SharedMemoryFormatter<TShared> : IMessagePackFormatter<TShared?> where TShared : class
{
    private const int FieldCount = 3;
    private readonly int _elementSize;

    protected SharedMemoryFormatter(int elementSize) => _elementSize = elementSize;

    public void Serialize(ref MessagePackWriter writer, TShared? value, MessagePackSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }
        var block = BlockOf(value);
        writer.WriteArrayHeader(FieldCount);
        writer.Write(block.Path);
        writer.Write(block.Length);
        writer.Write(block.ElementSize);
    }

    public TShared? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.TryReadNil()) return null;
        var typeName = TypeNames.Format(typeof(TShared));
        if (reader.ReadArrayHeader() != FieldCount)
        {
            throw new MessagePackSerializationException($"{typeName} travels as [path, length, element size].");
        }
        var path = reader.ReadString() ?? throw new MessagePackSerializationException($"{typeName} came without a path.");
        var length = reader.ReadInt32();
        var elementSize = reader.ReadInt32();
        if (elementSize != _elementSize)
        {
            throw new InvalidDataException(
                $"{typeName}: the sender's elements are {elementSize} bytes, but {typeName} needs {_elementSize}; declare the parameter with the element type the sender used.");
        }
        return Wrap(SharedMemoryBlock.Open(path, length, _elementSize, typeName));
    }

    protected abstract SharedMemoryBlock BlockOf(TShared value);

    protected abstract TShared Wrap(SharedMemoryBlock block);
}
