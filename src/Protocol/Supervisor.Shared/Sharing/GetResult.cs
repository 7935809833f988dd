namespace Supervisor.Sharing;

/// <summary>What a <see cref="SharedQueue{T}.TryGetAsync"/> got: an item, nothing yet, or the end of the queue.</summary>
/// <typeparam name="T">The queue's item type.</typeparam>
/// <param name="Outcome">Which of the three it is.</param>
/// <param name="Item">The item when <paramref name="Outcome"/> is <see cref="GetOutcome.Item"/>, else the default.</param>
public readonly record struct GetResult<T>(GetOutcome Outcome, T? Item)
{
    /// <summary>True when an item was taken.</summary>
    public bool HasItem => Outcome == GetOutcome.Item;
}
