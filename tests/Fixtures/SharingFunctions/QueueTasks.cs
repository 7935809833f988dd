using System;
using System.Threading.Tasks;
using Supervisor.Sharing;

namespace SharingFunctions;

/// <summary>The seeds' queue experiments, as the task and process targets a user would write.</summary>
public static class QueueTasks
{
    /// <summary>
    /// Seed 001's task(queue): make a number and put it on the shared queue. Synchronous, as a map's function is;
    /// it also returns the number so the test can compare what was put with what was got.
    /// </summary>
    public static double PutRandomNumber(Queue<double> queue)
    {
        var number = Random.Shared.NextDouble() * 5;
        queue.PutAsync(number).GetAwaiter().GetResult();
        return number;
    }

    /// <summary>Seed 003's producer: put each number, in order.</summary>
    public static async Task Produce(Queue<int?> queue, int[] numbers)
    {
        foreach (var number in numbers)
        {
            await queue.PutAsync(number);
            Console.WriteLine($"Producer: Put {number} into the queue.");
        }
    }

    /// <summary>Seed 003's consumer: get until the sentinel (null), passing every number on to <paramref name="received"/>.</summary>
    public static async Task Consume(Queue<int?> queue, SimpleQueue<int> received)
    {
        while (await queue.GetAsync() is { } number)
        {
            Console.WriteLine($"Consumer: Got {number} from the queue.");
            await received.PutAsync(number);
        }
        Console.WriteLine("Consumer: Received termination signal.");
    }

    /// <summary>Seed 004's child, done safely: read until the queue is closed and drained; report each item taken.</summary>
    public static async Task Drain(Queue<int> queue, SimpleQueue<int> consumed)
    {
        await foreach (var item in queue.ReadAllAsync()) await consumed.PutAsync(item);
    }
}
