using System.Globalization;
using Supervisor.Hosting.Tests.Support;
using Supervisor.Tests.Support;

namespace Supervisor.Hosting.Tests.Samples;

/// <summary>samples/WorkerService as a user runs it: a process, files dropped into its inbox, SIGTERM.</summary>
public sealed class WorkerServiceSampleTests : IDisposable
{
    private const int Rounds = 50_000;
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [SkippableFact]
    public async Task Files_are_digested_on_the_pool_and_SIGTERM_lets_the_files_in_flight_finish()
    {
        Skip.If(OperatingSystem.IsWindows(), "SIGTERM is a Unix signal.");
        var inbox = _directory.File("inbox");
        var outbox = _directory.File("outbox");
        await using var sample = SampleProcess.Start("WorkerService",
            $"--Inbox:Path={inbox}", $"--Inbox:Outbox={outbox}", string.Create(CultureInfo.InvariantCulture, $"--Inbox:Rounds={Rounds}"));
        await sample.WaitForLinesAsync("Watching");
        string[] files = ["a.txt", "b.txt", "c.txt", "d.txt", "e.txt", "f.txt"];
        foreach (var file in files)
        {
            // Written under a hidden name and moved in, as a writer should: the service never reads half a file.
            var hidden = Path.Combine(inbox, "." + file);
            await File.WriteAllTextAsync(hidden, $"contents of {file}");
            File.Move(hidden, Path.Combine(inbox, file));
        }

        // The pool has two workers: once two files are accepted, both hold a call as the service is stopped.
        await sample.WaitForLinesAsync("Accepted", count: 2);
        await sample.TerminateAsync();
        Assert.Equal(0, await sample.WaitForExitAsync());

        // Every file accepted was finished before the exit; the others wait in the inbox, whole, for the next run.
        var accepted = (await sample.WaitForLinesAsync("Accepted")).Select(line => line[(line.LastIndexOf(' ') + 1)..]).ToHashSet();
        Assert.InRange(accepted.Count, 2, files.Length);
        foreach (var file in files)
        {
            var digest = Path.Combine(outbox, file + ".sha256");
            if (accepted.Contains(file))
            {
                Assert.Equal(Digests.Stretched($"contents of {file}", Rounds), (await File.ReadAllTextAsync(digest)).Trim());
                Assert.False(File.Exists(Path.Combine(inbox, file)), $"{file} was digested but left in the inbox");
            }
            else
            {
                Assert.False(File.Exists(digest));
                Assert.Equal($"contents of {file}", await File.ReadAllTextAsync(Path.Combine(inbox, file)));
            }
        }
        await sample.WaitForLinesAsync($"Stopped taking files: {accepted.Count} digested");
        await sample.WaitForLinesAsync("Process pool digests stopped: every worker ended");
        Assert.Equal(2, sample.WorkerProcessIds().Count);
    }
}
