namespace Supervisor.Launcher;

/// <summary>A set of line indices, one bit each: the lines a resumed run's output already holds.</summary>
internal sealed class IndexSet
{
    private ulong[] _bits = [];

    /// <summary>How many indices are in the set.</summary>
    public long Count { get; private set; }

    /// <summary>Adds <paramref name="index"/>; false if it was there already.</summary>
    public bool Add(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var word = (int)(index >> 6);
        if (word >= _bits.Length) Array.Resize(ref _bits, Math.Max(word + 1, _bits.Length * 2));
        var mask = 1UL << (int)(index & 63);
        if ((_bits[word] & mask) != 0) return false;
        _bits[word] |= mask;
        Count++;
        return true;
    }

    /// <summary>Whether <paramref name="index"/> is in the set.</summary>
    public bool Contains(long index)
    {
        var word = index >> 6;
        return index >= 0 && word < _bits.Length && (_bits[word] & (1UL << (int)(index & 63))) != 0;
    }
}
