using Supervisor.Benchmarks;

return await Supervisor.Worker.WorkerHost.RunAsync(args, [typeof(BenchFunctions).Assembly]);
