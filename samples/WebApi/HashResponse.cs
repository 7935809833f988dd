namespace WebApi;

/// <summary>The answer of <c>POST /hash</c>.</summary>
/// <param name="Sha256">The stretched SHA-256, in hex.</param>
/// <param name="Rounds">The rounds it took.</param>
internal sealed record HashResponse(string Sha256, int Rounds);
