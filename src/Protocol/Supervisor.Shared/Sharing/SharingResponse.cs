using System.Text;

namespace Supervisor.Sharing;

/// <summary>The answer to one <see cref="SharingRequest"/>.</summary>
/// <param name="Status">How it ended.</param>
/// <param name="Value">A count (<see cref="SharingOperation.Count"/>) or a flag (<see cref="SharingOperation.Poll"/>), else 0.</param>
/// <param name="Payload">The item taken, or the reason of a refusal; else null.</param>
internal readonly record struct SharingResponse(SharingStatus Status, long Value, byte[]? Payload)
{
    /// <summary>Done, with nothing to report.</summary>
    public static SharingResponse Ok { get; } = new(SharingStatus.Ok, 0, null);

    /// <summary>An answer that is only a status.</summary>
    public static SharingResponse Of(SharingStatus status) => new(status, 0, null);

    /// <summary>A refusal, and why.</summary>
    public static SharingResponse Refused(string reason) => new(SharingStatus.Refused, 0, Encoding.UTF8.GetBytes(reason));

    /// <summary>The reason of a refusal.</summary>
    public string Reason => Payload is null ? "refused" : Encoding.UTF8.GetString(Payload);
}
