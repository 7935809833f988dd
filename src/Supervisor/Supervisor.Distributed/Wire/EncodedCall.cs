namespace Supervisor.Distributed.Wire;

/// <summary>One call's arguments as they crossed: each value a complete MessagePack value, not yet read.</summary>
/// <param name="Positional">The positional arguments, or null for named ones.</param>
/// <param name="Named">The named arguments, or null for positional ones.</param>
internal sealed record EncodedCall(IReadOnlyList<ReadOnlyMemory<byte>>? Positional, IReadOnlyDictionary<string, ReadOnlyMemory<byte>>? Named);
