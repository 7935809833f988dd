namespace UserFunctions;

/// <summary>Lets a worker report itself through the file system, so a test knows every process it started.</summary>
public static class WorkerRecords
{
    /// <summary>A pool initializer: leaves a file named by this worker's process id in <paramref name="directory"/>.</summary>
    public static void RecordProcessId(string directory) =>
        File.WriteAllText(Path.Combine(directory, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)), "");

    /// <summary>The process ids recorded in <paramref name="directory"/>.</summary>
    public static IReadOnlyList<int> RecordedProcessIds(string directory) =>
        [.. Directory.GetFiles(directory).Select(f => int.Parse(Path.GetFileName(f), System.Globalization.CultureInfo.InvariantCulture))];
}
