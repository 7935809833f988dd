using System.Reflection.PortableExecutable;
using CliWrap;
using CliWrap.Buffered;

namespace Supervisor.Tests.Packaging;

/// <summary>
/// A new user's console app, in a folder outside the repository, that references the packed <c>Supervisor</c>
/// package from the local feed (and the registry for the rest), nothing else: it builds, and its pool and
/// ProcessQueue run on the worker the package ships, which behaves like a default .NET app (culture data included).
/// </summary>
[Collection(PackedFeedCollection.Name)]
public sealed class PackageConsumerTests(PackedFeed feed)
{
    private const string Program = """
        using System.Globalization;
        using Supervisor;

        await using (var pool = await ProcessPool.StartAsync(new WorkerOptions { Workers = 2 }))
        {
            var squares = await pool.MapAsync(Work.Square, Enumerable.Range(0, 10));
            Console.WriteLine("squares " + string.Join(",", squares));
            Console.WriteLine("german " + await pool.SubmitAsync(Work.German, 1234.5));
        }
        var calPow = Function.FromDelegate(Work.CalPow).Bind("exponent", 2);
        await using (var queue = await ProcessQueue.StartAsync<int, double>(calPow, new ProcessQueueOptions { Workers = 2, MaxSize = 4 }))
        {
            for (var i = 0; i < 20; i++) await queue.PutAsync(i);
            await queue.PutEndOfQueueAsync();
            var results = new List<double>();
            await foreach (var result in queue.ReadAllAsync()) results.Add(result);
            Console.WriteLine("queue " + string.Join(",", results.Order().Select(r => r.ToString(CultureInfo.InvariantCulture))));
        }

        public static class Work
        {
            public static int Square(int x) => x * x;

            public static string German(double x) => x.ToString("N2", new CultureInfo("de-DE"));

            public static double CalPow(double @base, int exponent) => Math.Pow(@base, exponent);
        }
        """;

    [Fact]
    public async Task A_fresh_console_app_runs_a_pool_and_a_process_queue_from_the_packed_library()
    {
        var app = Path.Combine(feed.WorkPath, "ConsumerApp");
        Directory.CreateDirectory(app);
        await File.WriteAllTextAsync(Path.Combine(app, "ConsumerApp.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Supervisor" Version="{feed.Version}" />
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), Program);

        await DotnetCli.RunAsync(app, feed.Environment, "build", "-c", "Release", "-o", "out", "-v", "quiet", "-nologo");
        var run = await Cli.Wrap(DotnetCli.Host)
            .WithArguments([Path.Combine(app, "out", "ConsumerApp.dll")])
            .WithWorkingDirectory(app)
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();

        var report = $"exit code {run.ExitCode}\nstdout:\n{run.StandardOutput}\nstderr:\n{run.StandardError}";
        Assert.True(run.ExitCode == 0, report);
        var lines = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains("squares 0,1,4,9,16,25,36,49,64,81", lines);
        // de-DE groups with '.' and separates decimals with ','; an invariant-mode worker throws CultureNotFoundException.
        Assert.Contains("german 1.234,50", lines);
        Assert.Contains("queue " + string.Join(",", Enumerable.Range(0, 20).Select(i => i * i)), lines);
        // The app's MessagePack is the precompiled image the package carries (build/Supervisor.Shared.targets), as
        // the Supervisor assembly itself is, whenever the packages come from a build that compiles ReadyToRun code.
        Assert.Equal(IsReadyToRun(typeof(ProcessPool).Assembly.Location), IsReadyToRun(Path.Combine(app, "out", "MessagePack.dll")));
    }

    private static bool IsReadyToRun(string assemblyPath)
    {
        using var reader = new PEReader(File.OpenRead(assemblyPath));
        return reader.PEHeaders.CorHeader is { ManagedNativeHeaderDirectory.Size: > 0 };
    }
}
