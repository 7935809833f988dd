using System.Diagnostics;
using System.Globalization;
using SeedDemo;
using Supervisor;

// seeds/000: four ProcessQueue workers on an input queue of maxsize 20, cal_pow with exponent fixed to 2
// (Python's partial(cal_pow, exponent=2)), 100 items, one EndOfQueue per worker, results popped in completion order.
var clock = Stopwatch.StartNew();
var options = new ProcessQueueOptions { Workers = 4, MaxSize = 20 };
var calPow = Function.FromDelegate(SeedFunctions.CalPow);

Console.WriteLine("== ProcessQueue with partial(cal_pow, exponent=2) ==");
await using (var queue = await ProcessQueue.StartAsync<int, double>(calPow.Bind("exponent", 2), options))
{
    Console.WriteLine("Start pushing data");
    for (var i = 0; i < 100; i++)
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
    Console.WriteLine($"{popped.Count} results; completion order {(inOrder ? "happened to match" : "differs from")} input order.");
}

// The improved ProcessQueue: named arguments from a dictionary, bound to parameter names (the seed's fn(**data)).
Console.WriteLine();
Console.WriteLine("== ProcessQueue with named arguments {'base': i+1, 'exponent': i-1} ==");
await using (var queue = await ProcessQueue.StartAsync<IReadOnlyDictionary<string, object?>, double>(calPow, options))
{
    Console.WriteLine("Start pushing data");
    for (var i = 0; i < 100; i++)
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
