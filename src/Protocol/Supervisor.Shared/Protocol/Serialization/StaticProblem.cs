namespace Supervisor.Protocol.Serialization;

/// <summary>Why every value of a type is refused, found from the type alone.</summary>
/// <param name="RelativePath">From the type to the offending spot, e.g. ".Writer.Handle"; empty for the type itself.</param>
/// <param name="Type">The type at that spot.</param>
/// <param name="Reason">Why it cannot cross.</param>
/// <param name="Advice">What to send instead.</param>
internal sealed record StaticProblem(string RelativePath, Type Type, string Reason, string Advice);
