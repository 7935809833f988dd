using System.Buffers.Binary;
using System.IO.Pipes;
using MessagePack;
using Supervisor.Protocol;
using Supervisor.Protocol.Framing;
using Supervisor.Protocol.Messages;
using Supervisor.Protocol.Startup;

// Speaks just enough of the protocol to be started, then breaks it the way ROGUE_MODE says.
if (!WorkerStartInfo.TryParse(args, out var info) || info is null) return 2;
using var input = new AnonymousPipeClientStream(PipeDirection.In, info.InputHandle);
using var output = new AnonymousPipeClientStream(PipeDirection.Out, info.OutputHandle);
var mode = Environment.GetEnvironmentVariable("ROGUE_MODE") ?? "";
using var frames = new FrameWriter();

void Frame(Action<FrameWriter> write)
{
    var start = frames.BeginFrame();
    write(frames);
    frames.EndFrame(start);
}

void Hello(int version)
{
    Frame(f =>
    {
        var w = new MessagePackWriter(f);
        new HelloMessage(version, info.WorkerId, Environment.ProcessId).Write(ref w);
        w.Flush();
    });
    frames.FlushTo(output);
}

void Running(RunningMessage report)
{
    Frame(f =>
    {
        var w = new MessagePackWriter(f);
        report.Write(ref w);
        w.Flush();
    });
    frames.FlushTo(output);
}

if (mode == "silent")
{
    // Never says hello: the supervisor must give up on its own and kill this process.
    input.ReadByte();
    Thread.Sleep(Timeout.Infinite);
}
if (mode == "bad-version")
{
    Hello(WireProtocol.Version + 41);
    input.ReadByte();
    return 0;
}
Hello(WireProtocol.Version);
// Wait for the first task so that it is held by this worker when the protocol breaks.
var header = new byte[4];
input.ReadExactly(header);
switch (mode)
{
    case "garbage":
        output.Write("\x01\x00\x00\x00\xFF\xC1garbage"u8);
        break;
    case "oversize":
        var huge = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(huge, uint.MaxValue);
        output.Write(huge);
        break;
    case "truncated":
        output.Write("\x40\x00\x00\x00\x95\x04"u8);
        output.Flush();
        return 0;
    case "unknown-task":
        Frame(f =>
        {
            var w = new MessagePackWriter(f);
            new ResultMessage(TaskId: 999_999, FirstItem: 0, ElapsedMicroseconds: 1, Count: 1).WriteHead(ref w);
            w.Write(1);
            w.Flush();
        });
        frames.FlushTo(output);
        break;
    case "unknown-slot":
        frames.Write(new PayloadMessage(Slot: 99, Length: 16));
        frames.FlushTo(output);
        break;
    case "slot-overrun":
        frames.Write(new PayloadMessage(Slot: 0, Length: int.MaxValue));
        frames.FlushTo(output);
        break;
    case "running-unknown-task":
        Running(new RunningMessage(TaskId: 999_999, Item: 0));
        break;
    case "running-beyond-task":
        // The first task holds one call: there is no call 5.
        Running(new RunningMessage(TaskId: 1, Item: 5));
        break;
}
output.Flush();
// Stay up: the supervisor must cut this worker off by itself.
input.ReadByte();
Thread.Sleep(Timeout.Infinite);
return 0;
