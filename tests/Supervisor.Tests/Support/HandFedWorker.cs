using System.Buffers;
using System.Diagnostics;
using System.IO.Pipes;
using MessagePack;
using Supervisor.Protocol.Framing;
using Supervisor.Protocol.Payloads;
using Supervisor.Protocol.Startup;
using Supervisor.Processes;

namespace Supervisor.Tests.Support;

/// <summary>
/// The real worker host, started with a pair of pipes this test writes and reads by hand: frames no supervisor would
/// send, a body cut short, bytes that are not the protocol.
/// </summary>
public sealed class HandFedWorker : IAsyncDisposable, IFrameHandler
{
    private const int MaxFrameBytes = 64 * 1024;

    private readonly AnonymousPipeServerStream _toWorker = new(PipeDirection.Out, HandleInheritability.Inheritable);
    private readonly AnonymousPipeServerStream _fromWorker = new(PipeDirection.In, HandleInheritability.Inheritable);
    private readonly FrameReader _reader;
    private readonly Queue<byte[]> _received = new();
    private readonly Process _process;
    private readonly Task<string> _stderr;
    private readonly PayloadArena? _arena;

    public delegate void WriteMessage(ref MessagePackWriter writer);

    /// <summary>
    /// Starts the default worker host; <paramref name="environment"/> adds variables to its environment, and
    /// <paramref name="sharedMemory"/> hands it shared memory for large frames, as a supervisor does.
    /// </summary>
    public HandFedWorker(IReadOnlyDictionary<string, string?>? environment = null, bool sharedMemory = false)
    {
        _reader = new FrameReader(_fromWorker, MaxFrameBytes);
        var executable = WorkerExecutable.Resolve(null);
        var start = new ProcessStartInfo(executable.FileName) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>()) start.Environment[name] = value;
        // Another test's worker started now would inherit these ends: the supervisor's own gate keeps them apart.
        lock (ProcessStartGate.Lock)
        {
            _arena = sharedMemory ? PayloadArena.CreateForWorker(MaxFrameBytes) : null;
            var info = new WorkerStartInfo(_toWorker.GetClientHandleAsString(), _fromWorker.GetClientHandleAsString(), 1, "hand-fed", MaxFrameBytes,
                _arena?.ForChild?.Handle, _arena?.ForChild?.SlotBytes ?? 0);
            foreach (var argument in executable.LeadingArguments.Concat(info.ToArguments())) start.ArgumentList.Add(argument);
            _process = Process.Start(start)!;
            _toWorker.DisposeLocalCopyOfClientHandle();
            _fromWorker.DisposeLocalCopyOfClientHandle();
            _arena?.ReleaseChildHandle();
        }
        _ = _process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        _stderr = _process.StandardError.ReadToEndAsync();
    }

    public int ProcessId => _process.Id;

    /// <summary>The shared memory this side writes into, when the worker was given some.</summary>
    internal OutboundSlots? SharedSlots => _arena?.Outbound;

    /// <summary>Everything the worker wrote to stderr, once it has exited.</summary>
    public Task<string> Stderr => _stderr;

    /// <summary>Sends one frame holding what <paramref name="write"/> writes.</summary>
    public void Send(WriteMessage write)
    {
        using var frames = new FrameWriter(MaxFrameBytes);
        var start = frames.BeginFrame();
        var writer = new MessagePackWriter(frames);
        write(ref writer);
        writer.Flush();
        frames.EndFrame(start);
        frames.FlushTo(_toWorker);
    }

    /// <summary>Sends raw bytes, frame headers included or not.</summary>
    public void SendBytes(ReadOnlySpan<byte> bytes)
    {
        _toWorker.Write(bytes);
        _toWorker.Flush();
    }

    /// <summary>The next frame's payload from the worker, or null once its pipe has ended.</summary>
    public async Task<byte[]?> ReceiveAsync()
    {
        while (_received.Count == 0)
        {
            if (!await _reader.ReadAsync(this)) return null;
        }
        return _received.Dequeue();
    }

    /// <summary>Closes the worker's input, as a supervisor that died would.</summary>
    public void CloseInput() => _toWorker.Dispose();

    /// <summary>The worker's exit code; fails the test if it runs on for a minute.</summary>
    public async Task<int> ExitCodeAsync()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await _process.WaitForExitAsync(limit.Token);
        return _process.ExitCode;
    }

    void IFrameHandler.OnFrame(ReadOnlySequence<byte> payload) => _received.Enqueue(payload.ToArray());

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill();
        await _process.WaitForExitAsync();
        await _toWorker.DisposeAsync();
        await _reader.DisposeAsync();
        await _fromWorker.DisposeAsync();
        _arena?.Dispose();
        _process.Dispose();
    }
}
