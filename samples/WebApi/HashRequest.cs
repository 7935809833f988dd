namespace WebApi;

/// <summary>The body of <c>POST /hash</c>.</summary>
/// <param name="Text">What to hash.</param>
/// <param name="Rounds">How many times the SHA-256 is hashed again (key stretching). Default: 1.</param>
internal sealed record HashRequest(string Text, int Rounds = 1);
