using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Security.Cryptography;
using Supervisor.Protocol.Serialization;

namespace Supervisor.Sharing;

/// <summary>
/// Python's <c>multiprocessing.Manager()</c>: a server that hosts queues and pipes for worker processes, so they can
/// be passed to pool tasks and processes as arguments (what Python needs a Manager for). It runs inside this process, listening on a
/// Unix domain socket in a private temporary directory (owner-only where the OS has permissions); a client must
/// present the random key that travels with every reference. A worker connects on first use, once per process.
/// </summary>
/// <remarks>
/// Queues travel over this socket rather than over a worker's task pipes on purpose: a get that blocks inside a
/// task must not hold up the results that worker is sending back. Dispose the manager after the processes using
/// its objects are done: disposing closes every queue and pipe (waiting gets see the end) and removes the socket.
/// </remarks>
public sealed class ProcessManager : IAsyncDisposable
{
    private const string SocketFileName = "manager.sock";
    // A client presents its key in its first frame, at once: a connection silent for this long is cut off.
    private static readonly TimeSpan DefaultHandshakeTimeout = TimeSpan.FromSeconds(10);

    private readonly DirectoryInfo _directory;
    private readonly Socket _listener;
    private readonly HostedObjects _objects = new();
    private readonly LocalEndpoint _endpoint;
    private readonly SerializabilityChecker _checker = new(WireSerializer.Options);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<ManagerSession, Task> _sessions = new();
    private readonly Task _accepting;
    private readonly TimeSpan _handshakeTimeout;
    private int _disposed;

    private ProcessManager(DirectoryInfo directory, Socket listener, SharingAddress address, TimeSpan handshakeTimeout)
    {
        _directory = directory;
        _listener = listener;
        _handshakeTimeout = handshakeTimeout;
        _endpoint = new LocalEndpoint(address, _objects);
        SharingEndpoints.AddLocal(_endpoint);
        _accepting = AcceptAsync();
    }

    /// <summary>Where the manager listens (a Unix domain socket in a directory only this user can enter).</summary>
    public string SocketPath => _endpoint.Address.SocketPath;

    /// <summary>Starts a manager: creates its private directory and socket and begins accepting worker connections.</summary>
    /// <exception cref="IOException">The socket cannot be created (the temporary directory's path is too long for a socket, say).</exception>
    public static ProcessManager Start() => Start(DefaultHandshakeTimeout);

    /// <summary>Starts a manager that cuts off a connection whose hello has not come within <paramref name="handshakeTimeout"/>.</summary>
    internal static ProcessManager Start(TimeSpan handshakeTimeout)
    {
        var directory = Directory.CreateTempSubdirectory("supervisor-manager-");
        var path = Path.Combine(directory.FullName, SocketFileName);
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen();
        }
        catch (Exception e) when (e is SocketException or ArgumentException)
        {
            listener.Dispose();
            directory.Delete(recursive: true);
            throw new IOException(
                $"Cannot listen on '{path}' ({e.Message}); a socket path must be short (about 100 bytes): point TMPDIR (TEMP on Windows) to a shorter directory.", e);
        }
        return new ProcessManager(directory, listener, new SharingAddress(path, RandomNumberGenerator.GetBytes(SharingAddress.KeyBytes)), handshakeTimeout);
    }

    /// <summary>Python's <c>manager.Queue(maxsize)</c>: a queue holding at most <paramref name="maxSize"/> items (0: no limit).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxSize"/> is negative.</exception>
    /// <exception cref="UnserializableValueException">Values of <typeparamref name="T"/> can never cross a process boundary.</exception>
    public SharedQueue<T> CreateQueue<T>(int maxSize = 0) => Create<SharedQueue<T>, T>(SharedObjectKind.Queue, maxSize, nameof(CreateQueue));

    /// <summary>Python's <c>manager.JoinableQueue(maxsize)</c>: a queue with task_done and join.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxSize"/> is negative.</exception>
    /// <exception cref="UnserializableValueException">Values of <typeparamref name="T"/> can never cross a process boundary.</exception>
    public SharedJoinableQueue<T> CreateJoinableQueue<T>(int maxSize = 0) =>
        Create<SharedJoinableQueue<T>, T>(SharedObjectKind.JoinableQueue, maxSize, nameof(CreateJoinableQueue));

    /// <summary>Python's <c>SimpleQueue()</c>: an unbounded queue with put, get and close.</summary>
    /// <exception cref="UnserializableValueException">Values of <typeparamref name="T"/> can never cross a process boundary.</exception>
    public SharedSimpleQueue<T> CreateSimpleQueue<T>() => Create<SharedSimpleQueue<T>, T>(SharedObjectKind.SimpleQueue, 0, nameof(CreateSimpleQueue));

    /// <summary>
    /// Python's <c>Pipe(duplex)</c>: two connected ends. Duplex (the default), each end sends to and receives from
    /// the other; one-way, <c>First</c> only receives and <c>Second</c> only sends, as Python's <c>(recv_conn, send_conn)</c>.
    /// </summary>
    /// <exception cref="UnserializableValueException">Values of <typeparamref name="T"/> can never cross a process boundary.</exception>
    public (PipeConnection<T> First, PipeConnection<T> Second) CreatePipe<T>(bool duplex = true)
    {
        CheckUsable<T>(nameof(CreatePipe));
        var (first, second) = _objects.AddPipe(duplex);
        return (Attach<PipeConnection<T>>(first, SharedObjectKind.PipeEnd), Attach<PipeConnection<T>>(second, SharedObjectKind.PipeEnd));
    }

    /// <summary>Closes every queue and pipe, stops listening, cuts the workers' connections off and removes the socket.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _endpoint.MarkClosed();
        SharingEndpoints.Remove(_endpoint);
        _objects.CloseAll();
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _accepting.ConfigureAwait(false);
        foreach (var session in _sessions.Keys) await session.DisposeAsync().ConfigureAwait(false);
        await Task.WhenAll(_sessions.Values).ConfigureAwait(false);
        _stopping.Dispose();
        _directory.Delete(recursive: true);
    }

    private TShared Create<TShared, T>(SharedObjectKind kind, int maxSize, string method)
        where TShared : class, ISharedReference<TShared>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxSize);
        CheckUsable<T>(method);
        return Attach<TShared>(_objects.AddQueue(kind, maxSize), kind);
    }

    // Refused now, not at the first put: a queue of streams could never carry anything.
    private void CheckUsable<T>(string method)
    {
        ObjectDisposedException.ThrowIf(_disposed == 1, this);
        _checker.Check(null, typeof(T), $"{method}<{TypeNames.Format(typeof(T))}>");
    }

    private TShared Attach<TShared>(long id, SharedObjectKind kind)
        where TShared : class, ISharedReference<TShared> => TShared.Attach(new SharedHandle(_endpoint, id, kind));

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
                var session = new ManagerSession(socket, _objects, _endpoint.Address.AuthKey, _handshakeTimeout);
                _sessions[session] = ServeAsync(session);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Disposed: no more connections.
        }
    }

    private async Task ServeAsync(ManagerSession session)
    {
        await session.RunAsync().ConfigureAwait(false);
        _sessions.TryRemove(session, out _);
    }
}
