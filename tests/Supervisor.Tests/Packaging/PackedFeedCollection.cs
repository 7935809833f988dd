namespace Supervisor.Tests.Packaging;

/// <summary>The tests that share one <see cref="PackedFeed"/>: the pack runs once for all of them.</summary>
[CollectionDefinition(Name)]
public sealed class PackedFeedCollection : ICollectionFixture<PackedFeed>
{
    public const string Name = "packed feed";
}
