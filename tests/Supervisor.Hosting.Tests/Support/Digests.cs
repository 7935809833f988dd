using System.Security.Cryptography;

namespace Supervisor.Hosting.Tests.Support;

/// <summary>The samples' work, computed here to check their answers: SHA-256, then the digest again, <c>rounds</c> times in all.</summary>
internal static class Digests
{
    public static string Stretched(string text, int rounds)
    {
        var digest = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text));
        for (var i = 1; i < rounds; i++) digest = SHA256.HashData(digest);
        return Convert.ToHexStringLower(digest);
    }
}
