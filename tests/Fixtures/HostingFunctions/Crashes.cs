using System.Diagnostics;

namespace HostingFunctions;

/// <summary>A call that says why on stderr and then kills its worker, as a failed native library would.</summary>
public static class Crashes
{
    public static int SayAndDie(string why)
    {
        Console.Error.WriteLine(why);
        Console.Error.Flush();
        using var self = Process.GetCurrentProcess();
        self.Kill();
        return 0;
    }
}
