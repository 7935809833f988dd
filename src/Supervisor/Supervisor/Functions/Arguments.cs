namespace Supervisor;

/// <summary>
/// The arguments of one call, positional (Python's <c>fn(*args)</c>) or named (Python's <c>fn(**data)</c>).
/// Values are sent by their runtime type and read by the worker by each parameter's type.
/// </summary>
public sealed class Arguments
{
    private Arguments(IReadOnlyList<object?>? positional, IReadOnlyDictionary<string, object?>? named)
    {
        Positional = positional;
        Named = named;
    }

    /// <summary>The positional values, or null for named arguments.</summary>
    public IReadOnlyList<object?>? Positional { get; }

    /// <summary>The named values, or null for positional arguments.</summary>
    public IReadOnlyDictionary<string, object?>? Named { get; }

    /// <summary>Arguments bound to parameters left to right.</summary>
    public static Arguments Of(params object?[] values) => new(values, null);

    /// <summary>One argument, for the first parameter not fixed.</summary>
    public static Arguments Of<T1>(T1 first) => new([first], null);

    /// <summary>Two arguments, bound to parameters left to right.</summary>
    public static Arguments Of<T1, T2>(T1 first, T2 second) => new([first, second], null);

    /// <summary>Three arguments, bound to parameters left to right.</summary>
    public static Arguments Of<T1, T2, T3>(T1 first, T2 second, T3 third) => new([first, second, third], null);

    /// <summary>Four arguments, bound to parameters left to right.</summary>
    public static Arguments Of<T1, T2, T3, T4>(T1 first, T2 second, T3 third, T4 fourth) => new([first, second, third, fourth], null);

    /// <summary>Arguments bound by parameter name, as Python's <c>fn(**data)</c>.</summary>
    public static Arguments FromNamed(IReadOnlyDictionary<string, object?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new(null, values);
    }

    /// <inheritdoc />
    public override string ToString() => Named is not null
        ? "{" + string.Join(", ", Named.Select(p => $"{p.Key}: {p.Value}")) + "}"
        : "(" + string.Join(", ", Positional!) + ")";
}
