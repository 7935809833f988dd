using WorkerService;

// A worker service whose CPU-heavy work runs in a supervised process pool: files dropped into Inbox:Path are digested
// in worker processes and the digests written to Inbox:Outbox. The pool "digests" is configured in appsettings.json;
// SIGTERM or Ctrl-C stops taking files, lets the files in flight finish, then ends the workers.
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddProcessPool("digests").BindConfiguration("Supervisor:Pools:digests");
builder.Services.AddOptions<InboxOptions>().BindConfiguration(InboxOptions.Section)
    .Validate(o => o.Rounds > 0, "Inbox:Rounds must be at least 1.").ValidateOnStart();
builder.Services.AddHostedService<InboxProcessor>();
await builder.Build().RunAsync();
