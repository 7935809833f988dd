namespace Supervisor.Protocol.Serialization;

/// <summary>One kind of value that only makes sense inside the process that holds it, and the words to explain it.</summary>
internal sealed class CrossingRule
{
    private readonly Func<Type, bool> _matches;

    public CrossingRule(Func<Type, bool> matches, string reason, string advice)
    {
        _matches = matches;
        Reason = reason;
        Advice = advice;
    }

    /// <summary>Why such a value cannot cross a process boundary.</summary>
    public string Reason { get; }

    /// <summary>What to send instead.</summary>
    public string Advice { get; }

    /// <summary>True when values of <paramref name="type"/> fall under this rule.</summary>
    public bool Matches(Type type) => _matches(type);
}
