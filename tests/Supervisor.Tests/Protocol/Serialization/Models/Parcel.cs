namespace Supervisor.Tests.Protocol.Serialization.Models;

/// <summary>A polymorphic member: only its runtime value says whether it crosses.</summary>
public sealed class Parcel
{
    public string Label { get; set; } = "";

    public object? Content { get; set; }
}
