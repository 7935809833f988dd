namespace UserFunctions;

/// <summary>A value whose property <see cref="Value"/> waits for a file that never appears: sending it hangs.</summary>
public sealed class HangingValue
{
    private int _value;

    public string NeverFile { get; set; } = "";

    public int Value
    {
        get
        {
            FileGate.WaitFor(NeverFile, TimeSpan.FromMinutes(5));
            return _value;
        }
        set => _value = value;
    }
}
