namespace Supervisor.Protocol.Messages;

/// <summary>How the arguments of each call in a task are laid out.</summary>
internal enum ArgumentMode : byte
{
    /// <summary>A MessagePack array, bound to parameters left to right (Python's <c>fn(*args)</c>).</summary>
    Positional = 0,

    /// <summary>A MessagePack map from parameter name to value (Python's <c>fn(**data)</c>).</summary>
    Named = 1,
}
