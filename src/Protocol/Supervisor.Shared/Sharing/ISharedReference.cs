namespace Supervisor.Sharing;

/// <summary>An object hosted by a manager and reached through its <see cref="SharedHandle"/>: it crosses processes as a reference.</summary>
internal interface ISharedReference
{
    /// <summary>Which manager, which object.</summary>
    SharedHandle Handle { get; }
}
