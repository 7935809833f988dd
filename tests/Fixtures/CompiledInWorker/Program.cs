return await Supervisor.Worker.WorkerHost.RunAsync(args, [typeof(UserFunctions.Seed).Assembly]);
