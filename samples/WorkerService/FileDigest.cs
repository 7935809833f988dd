using System.Security.Cryptography;

namespace WorkerService;

/// <summary>The work that runs in the pool's worker processes: a file's SHA-256, hashed again and again (key stretching).</summary>
public static class FileDigest
{
    /// <summary>The SHA-256 of the file at <paramref name="path"/>, hashed again until it was hashed <paramref name="rounds"/> times, in hex.</summary>
    public static string Compute(string path, int rounds)
    {
        var digest = SHA256.HashData(File.ReadAllBytes(path));
        for (var i = 1; i < rounds; i++) digest = SHA256.HashData(digest);
        return Convert.ToHexStringLower(digest);
    }
}
