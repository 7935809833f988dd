namespace Supervisor.Tests.Protocol.Serialization.Models;

/// <summary>A class with a delegate member.</summary>
public sealed class Subscription
{
    public string Topic { get; set; } = "";

    public Func<int>? Callback { get; set; }
}
