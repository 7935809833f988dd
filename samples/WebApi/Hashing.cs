using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace WebApi;

/// <summary>The work that runs in the pool's worker processes.</summary>
public static class Hashing
{
    /// <summary>The SHA-256 of <paramref name="text"/> (UTF-8), hashed <paramref name="rounds"/> − 1 more times, in hex.</summary>
    public static string Stretch(string text, int rounds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        for (var i = 1; i < rounds; i++) digest = SHA256.HashData(digest);
        return Convert.ToHexStringLower(digest);
    }

    /// <summary>Says why on stderr and kills its own process, as a native library that crashes would.</summary>
    public static string CrashWorker(string why)
    {
        Console.Error.WriteLine(why);
        Console.Error.Flush();
        using var self = Process.GetCurrentProcess();
        self.Kill();
        return why;
    }
}
