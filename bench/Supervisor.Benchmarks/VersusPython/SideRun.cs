using System.ComponentModel;
using System.Diagnostics;

namespace Supervisor.Benchmarks.VersusPython;

/// <summary>One run of one side: a process whose stdout lines are JSON benchmark lines; its stderr goes to ours.</summary>
internal static class SideRun
{
    /// <summary>
    /// Runs <paramref name="fileName"/> with <paramref name="arguments"/> and W in the environment, and returns its
    /// figures; null when the program cannot be started (not installed). A non-zero exit throws.
    /// </summary>
    public static async Task<IReadOnlyList<Figure>?> RunAsync(string fileName, IEnumerable<string> arguments, int workers, string side)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["W"] = workers.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Process? process;
        try
        {
            process = Process.Start(start);
        }
        catch (Win32Exception)
        {
            return null;
        }
        if (process is null) return null;
        using (process)
        {
            var figures = new List<Figure>();
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.TrimStart().StartsWith('{') && Figure.FromLine(line) is { } figure) figures.Add(figure);
            }
            await process.WaitForExitAsync();
            if (process.ExitCode != 0) throw new BenchmarkFailedException($"{side}: '{fileName}' exited with code {process.ExitCode}.");
            return figures;
        }
    }
}
