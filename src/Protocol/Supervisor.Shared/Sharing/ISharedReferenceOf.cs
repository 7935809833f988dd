namespace Supervisor.Sharing;

/// <summary>What <see cref="SharedObjectFormatter{TShared}"/> needs to rebuild a <typeparamref name="TSelf"/> proxy from a reference.</summary>
/// <typeparam name="TSelf">The proxy type a parameter is declared with.</typeparam>
internal interface ISharedReference<TSelf> : ISharedReference
    where TSelf : class, ISharedReference<TSelf>
{
    /// <summary>Whether an object of <paramref name="kind"/> can be used as a <typeparamref name="TSelf"/>.</summary>
    static abstract bool CanRead(SharedObjectKind kind);

    /// <summary>A proxy for the object <paramref name="handle"/> names.</summary>
    static abstract TSelf Attach(SharedHandle handle);
}
