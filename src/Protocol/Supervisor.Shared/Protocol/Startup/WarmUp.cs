namespace Supervisor.Protocol.Startup;

/// <summary>
/// The call a spare worker of <c>StartMethod.Forkserver</c> runs before it is handed out, so that the path every
/// task takes (define, bind, invoke, serialize, reply) is compiled already when the first real task arrives.
/// </summary>
internal static class WarmUp
{
    /// <summary>Returns <paramref name="value"/>.</summary>
    public static int Echo(int value) => value;
}
