using System.Diagnostics;
using System.Globalization;

namespace Supervisor.Benchmarks.VersusPython;

/// <summary>
/// The machine's 1-minute load average: <c>/proc/loadavg</c> on Linux, <c>sysctl -n vm.loadavg</c> on macOS and the
/// BSDs; null where neither exists (Windows), and the comparison then says it cannot tell whether the machine was quiet.
/// </summary>
internal static class LoadAverage
{
    /// <summary>Above this 1-minute load a sitting's ratios are not worth quoting: other work shared the cores.</summary>
    public const double QuietLimit = 0.5;

    /// <summary>The 1-, 5- and 15-minute figures as the OS prints them, or null.</summary>
    public static string? Read()
    {
        try
        {
            if (File.Exists("/proc/loadavg"))
                return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(3));
            if (OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD())
            {
                // vm.loadavg prints "{ 0.52 0.41 0.39 }".
                using var sysctl = Process.Start(new ProcessStartInfo("sysctl", "-n vm.loadavg") { RedirectStandardOutput = true });
                if (sysctl is null) return null;
                var text = sysctl.StandardOutput.ReadToEnd().Trim().Trim('{', '}').Trim();
                sysctl.WaitForExit();
                return text.Length > 0 ? text : null;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            // Unreadable: the report says the load is unknown.
        }
        return null;
    }

    /// <summary>The first (1-minute) figure of <paramref name="load"/>, or null.</summary>
    public static double? OneMinute(string? load) =>
        load is not null && double.TryParse(load.Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
}
