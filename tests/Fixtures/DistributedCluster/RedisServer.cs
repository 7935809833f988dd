using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace DistributedCluster;

/// <summary>
/// A real redis-server on a free loopback port, its files in a temporary directory: durable (append-only file, fsync
/// on every write: what nodes rely on across a restart), or without persistence (as the Celery peer runs its Redis,
/// for the benchmark). Disposing stops it and removes the directory.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly string _executable;
    private readonly string _directory;
    private Process _process;

    private readonly bool _durable;

    private RedisServer(string executable, string directory, int port, bool durable, Process process)
    {
        _executable = executable;
        _durable = durable;
        _directory = directory;
        Port = port;
        _process = process;
    }

    public int Port { get; }

    /// <summary>The StackExchange.Redis configuration string for this server.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    /// <summary>What to do on a machine without redis-server.</summary>
    public const string InstallAdvice = "redis-server is not installed: install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis)";

    /// <summary>Starts a server on <paramref name="port"/> (see <see cref="FreePort"/>), or on a free port.</summary>
    /// <exception cref="InvalidOperationException">redis-server is not installed (see <see cref="IsInstalled"/>).</exception>
    public static async Task<RedisServer> StartAsync(bool durable = true, int? port = null)
    {
        var executable = FindExecutable() ?? throw new InvalidOperationException(InstallAdvice + ".");
        var directory = Directory.CreateTempSubdirectory("supervisor-redis-").FullName;
        port ??= FreePort();
        return new RedisServer(executable, directory, port.Value, durable, await LaunchAsync(executable, directory, port.Value, durable));
    }

    /// <summary>Stops the server as an operator would (SIGTERM: the append-only file is flushed) and starts it again on the same port and files.</summary>
    public async Task RestartAsync()
    {
        await StopAsync(graceful: true);
        _process = await LaunchAsync(_executable, _directory, Port, _durable);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(graceful: false);
        Directory.Delete(_directory, recursive: true);
    }

    private async Task StopAsync(bool graceful)
    {
        if (!_process.HasExited)
        {
            if (graceful) Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]).WaitForExit();
            else _process.Kill();
        }
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private static async Task<Process> LaunchAsync(string executable, string directory, int port, bool durable)
    {
        var start = new ProcessStartInfo(executable)
        {
            ArgumentList = { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", directory,
                "--save", "", "--appendonly", durable ? "yes" : "no", "--appendfsync", "always", "--daemonize", "no", "--protected-mode", "yes" },
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start)!;
        // Ready when it says so: every line before that is read and dropped.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string? line;
        while ((line = await process.StandardOutput.ReadLineAsync(timeout.Token)) is not null)
        {
            if (line.Contains("Ready to accept connections", StringComparison.Ordinal))
            {
                _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                return process;
            }
        }
        process.Kill();
        throw new InvalidOperationException($"redis-server on port {port} ended before it was ready (exit code {process.ExitCode}).");
    }

    /// <summary>Whether redis-server is on the PATH.</summary>
    public static bool IsInstalled => FindExecutable() is not null;

    private static string? FindExecutable() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, OperatingSystem.IsWindows() ? "redis-server.exe" : "redis-server"))
            .FirstOrDefault(File.Exists);

    /// <summary>A loopback port free now: for a server started later, once a client already tries to reach it.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
