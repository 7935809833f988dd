namespace Supervisor.Testing;

/// <summary>How many warm children an <see cref="IsolatedPool"/> keeps. Every property has a documented default.</summary>
public sealed record IsolatedPoolOptions
{
    /// <summary>How many calls run at once, each in a child of its own. Default: the number of processor cores.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// How many children wait started and warmed, ready to replace a child whose call ended; each one taken is
    /// started again in the background. Default: 2.
    /// </summary>
    public int Spares { get; init; } = 2;

    internal void Validate()
    {
        if (Workers < 1) throw new ArgumentOutOfRangeException(nameof(Workers), Workers, "At least one worker is needed.");
        if (Spares < 1) throw new ArgumentOutOfRangeException(nameof(Spares), Spares, "At least one spare is needed; for no warm children use Isolated.RunAsync.");
    }
}
