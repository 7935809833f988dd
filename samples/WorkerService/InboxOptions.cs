namespace WorkerService;

/// <summary>Where files come from and where their digests go (section <c>Inbox</c>).</summary>
internal sealed class InboxOptions
{
    public const string Section = "Inbox";

    /// <summary>The folder watched for files; a writer should move a finished file in. Default: <c>inbox</c>.</summary>
    public string Path { get; set; } = "inbox";

    /// <summary>The folder each file's digest is written to, as <c>{name}.sha256</c>. Default: <c>outbox</c>.</summary>
    public string Outbox { get; set; } = "outbox";

    /// <summary>How many times each file is hashed (SHA-256, then the digest again and again: the CPU-heavy part). Default: 200,000.</summary>
    public int Rounds { get; set; } = 200_000;
}
