using Supervisor.Sharing;

namespace SharingFunctions;

/// <summary>Process targets that talk over a pipe end.</summary>
public static class PipeTasks
{
    /// <summary>What <see cref="Forward"/> puts last, once the pipe has ended.</summary>
    public const string EndOfStream = "<end of stream>";

    /// <summary>Python's child_process(conn): send "hello 1".."hello N", then close.</summary>
    public static async Task SendGreetings(PipeConnection<string> connection, int count)
    {
        for (var i = 1; i <= count; i++) await connection.SendAsync($"hello {i}");
        await connection.CloseAsync();
    }

    /// <summary>As <see cref="SendGreetings"/>, written synchronously.</summary>
    public static void SendGreetingsSynchronously(PipeConnection<string> connection, int count)
    {
        for (var i = 1; i <= count; i++) connection.Send($"hello {i}");
        connection.Close();
    }

    /// <summary>Send "hello 1".."hello N", then wait for an answer that never comes (the test kills this process).</summary>
    public static async Task SendGreetingsThenWait(PipeConnection<string> connection, int count)
    {
        for (var i = 1; i <= count; i++) await connection.SendAsync($"hello {i}");
        await connection.ReceiveAsync();
    }

    /// <summary>Receive until the other end is gone, passing every message on, then <see cref="EndOfStream"/>.</summary>
    public static async Task Forward(PipeConnection<string> connection, SharedSimpleQueue<string> received)
    {
        await foreach (var message in connection.ReadAllAsync()) await received.PutAsync(message);
        await received.PutAsync(EndOfStream);
    }
}
