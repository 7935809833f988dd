namespace Supervisor.Protocol.Serialization;

/// <summary>How a value is taken apart, mirroring how MessagePack writes it.</summary>
internal enum ValueShape
{
    /// <summary>Written whole (primitives, strings...) or refused outright: nothing inside to visit.</summary>
    Leaf,

    /// <summary>A map of members (contractless, [MessagePackObject] or [DataContract]).</summary>
    Object,

    /// <summary>An array or other IEnumerable: items.</summary>
    Sequence,

    /// <summary>A dictionary: keys and values.</summary>
    Dictionary,

    /// <summary>object or a non-collection interface: only the runtime type says what is inside.</summary>
    Polymorphic,
}
