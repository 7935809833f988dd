namespace Supervisor.Protocol.Serialization;

/// <summary>What a type's verdict asks of <see cref="SerializabilityChecker.Check"/> for a value of exactly that type.</summary>
internal enum VerdictKind
{
    /// <summary>Nothing: every value of exactly this type crosses (int, string, int[], a record of primitives...).</summary>
    Safe,

    /// <summary>Walk the value (polymorphic or possibly cyclic members), then trial-serialize it.</summary>
    Walk,

    /// <summary>Refused whatever the value: walk it only to name the exact spot, else report the static problem.</summary>
    Problem,
}
