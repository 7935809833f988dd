using System.Diagnostics;
using System.Globalization;
using ProcessQueueDemo;
using Supervisor;

// Python experiment 000: four ProcessQueue workers on an input queue of maxsize 20, cal_pow with exponent fixed to 2
// (Python's partial(cal_pow, exponent=2)), 100 items, one EndOfQueue per worker, results popped in completion order.
const int Items = 100;
var clock = Stopwatch.StartNew();
var options = new ProcessQueueOptions { Workers = 4, MaxSize = 20 };
var ordersMatched = 0;
var calPow = Function.FromDelegate(UnevenWork.CalPow);

Console.WriteLine("== ProcessQueue with partial(cal_pow, exponent=2) ==");
await using (var queue = await ProcessQueue.StartAsync<int, double>(calPow.Bind("exponent", 2), options))
{
    Console.WriteLine("Start pushing data");
    for (var i = 0; i < Items; i++)
    {
        Console.WriteLine($"Pushing {i}");
        await queue.PutAsync(i);
    }
    await queue.PutEndOfQueueAsync();
    Console.WriteLine("Finish pushing data");
    await queue.JoinAsync();
    var popped = new List<double>();
    await foreach (var result in queue.ReadAllAsync())
    {
        Console.WriteLine($"Pop {result.ToString(CultureInfo.InvariantCulture)} out");
        popped.Add(result);
    }
    var inOrder = popped.SequenceEqual(popped.Order());
    if (inOrder) ordersMatched++;
    Console.WriteLine($"{popped.Count} results; completion order {(inOrder ? "happened to match" : "differs from")} input order.");
}

// The improved ProcessQueue: named arguments from a dictionary, bound to parameter names (Python's fn(**data)).
Console.WriteLine();
Console.WriteLine("== ProcessQueue with named arguments {'base': i+1, 'exponent': i-1} ==");
await using (var queue = await ProcessQueue.StartAsync<IReadOnlyDictionary<string, object?>, double>(calPow, options))
{
    Console.WriteLine("Start pushing data");
    for (var i = 0; i < Items; i++)
    {
        Console.WriteLine($"Pushing {i}");
        await queue.PutAsync(new Dictionary<string, object?> { ["base"] = i + 1, ["exponent"] = i - 1 });
    }
    await queue.PutEndOfQueueAsync();
    Console.WriteLine("Finish pushing data");
    await queue.JoinAsync();
    await foreach (var result in queue.ReadAllAsync()) Console.WriteLine($"Pop {result.ToString(CultureInfo.InvariantCulture)} out");
}
Console.WriteLine($"Program ends after {clock.Elapsed.TotalSeconds:0.0} s.");

// What the lines above show, in a few lines that do not scroll away.
Console.WriteLine();
Console.WriteLine("== Summary ==");
Console.WriteLine($"2 runs of {Items} items each, {options.Workers} worker processes, input queue bound (maxsize) {options.MaxSize}, {clock.Elapsed.TotalSeconds:0.0} s in all.");
Console.WriteLine($"Results came back in completion order{(ordersMatched == 0 ? ", which differs from input order" : "")}: each worker takes the next item as soon as it is free,");
Console.WriteLine("and cal_pow spins millions of times for about half of the items and a handful for the rest, so short items overtake long ones.");
Console.WriteLine($"Pushing waits whenever {options.MaxSize} items are queued: the producer never runs more than the bound ahead of the workers.");
