using Supervisor.Sharing;

namespace SharingFunctions;

/// <summary>The Python queue experiments (001-004), as the task and process targets a user would write.</summary>
public static class QueueTasks
{
    /// <summary>
    /// Experiment 001's task(queue): make a number and put it on the shared queue. Synchronous, as a map's function is;
    /// it also returns the number so the test can compare what was put with what was got.
    /// </summary>
    public static double PutRandomNumber(SharedQueue<double> queue)
    {
        var number = Random.Shared.NextDouble() * 5;
        queue.Put(number);
        return number;
    }

    /// <summary>
    /// A synchronous relay: takes one number from <paramref name="input"/> (waiting up to a minute), puts it doubled
    /// on <paramref name="output"/>, then reports what an empty queue answers: a try without waiting, and a get
    /// with a short timeout (nobody puts again, so it always times out).
    /// </summary>
    public static string RelayDoubled(SharedQueue<int> input, SharedQueue<int> output)
    {
        output.Put(input.Get(TimeSpan.FromMinutes(1)) * 2);
        var tried = input.TryGet().Outcome;
        try
        {
            input.Get(TimeSpan.FromMilliseconds(10));
            return $"{tried}, then an item";
        }
        catch (TimeoutException)
        {
            return $"{tried}, then a timeout";
        }
    }

    /// <summary>Experiment 003's producer: put each number, in order.</summary>
    public static async Task Produce(SharedQueue<int?> queue, int[] numbers)
    {
        foreach (var number in numbers)
        {
            await queue.PutAsync(number);
            Console.WriteLine($"Producer: Put {number} into the queue.");
        }
    }

    /// <summary>Experiment 003's consumer: get until the sentinel (null), passing every number on to <paramref name="received"/>.</summary>
    public static async Task Consume(SharedQueue<int?> queue, SharedSimpleQueue<int> received)
    {
        while (await queue.GetAsync() is { } number)
        {
            Console.WriteLine($"Consumer: Got {number} from the queue.");
            await received.PutAsync(number);
        }
        Console.WriteLine("Consumer: Received termination signal.");
    }

    /// <summary>Experiment 004's child, done safely: read until the queue is closed and drained; report each item taken.</summary>
    public static async Task Drain(SharedQueue<int> queue, SharedSimpleQueue<int> consumed)
    {
        await foreach (var item in queue.ReadAllAsync()) await consumed.PutAsync(item);
    }
}
