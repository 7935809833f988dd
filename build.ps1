# One entry point for every task a user or CI runs, for Windows PowerShell and pwsh. Mirrors build.sh.
param([Parameter(Position = 0)][string]$Verb = "", [Parameter(ValueFromRemainingArguments = $true)][string[]]$Rest = @())
$ErrorActionPreference = "Stop"
Set-Location $PSScriptRoot
$env:DOTNET_CLI_TELEMETRY_OPTOUT = "1"; $env:DOTNET_NOLOGO = "1"

function Show-Usage {
@"
usage: ./build.ps1 <verb> [args]

  demo            run the ProcessQueue demo (cal_pow, 100 items, 4 workers, maxsize 20)
  test            build and run every test; fails if a worker process is left running
  bench           run the benchmark (one JSON object per line); startup also times a NativeAOT worker where one can be published
  bench --vs-python [--pairs n] [--python exe] [--peer path]
                  ours and Python's peer alternately in fresh processes (3 pairs by default): both figures and
                  the ratio per line, medians per scenario, and the load average before and after
  chaos [tasks]   the fault run: one JSON line of figures
  run <args>      build if needed, then run the launcher
  pack            NuGet packages of the libraries and the launcher as a dotnet tool, into artifacts/packages
"@
}

# The launcher's build stamp, as in build.sh: touched after each build that covers it, so `run` can tell whether a
# source changed since.
$LauncherStamp = "artifacts/launcher.built"
$LauncherDll = "src/Supervisor/Supervisor.Launcher/bin/Release/net10.0/Supervisor.Launcher.dll"

function Set-LauncherBuilt { New-Item -ItemType Directory -Force artifacts | Out-Null; (New-Item -ItemType File -Force $LauncherStamp).LastWriteTimeUtc = [DateTime]::UtcNow }

function Test-LauncherStale {
  if (-not (Test-Path $LauncherStamp) -or -not (Test-Path $LauncherDll)) { return $true }
  $stamp = (Get-Item $LauncherStamp).LastWriteTimeUtc
  $newer = Get-ChildItem -Path src, Directory.Build.props, Directory.Packages.props, global.json -Recurse -File -Include *.cs, *.csproj, *.props, *.targets, *.json |
    Where-Object { $_.FullName -notmatch '[\\/](bin|obj)[\\/]' -and $_.LastWriteTimeUtc -gt $stamp } | Select-Object -First 1
  return [bool]$newer
}

function Invoke-Checked { & $args[0] $args[1..($args.Length - 1)]; if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE } }

switch ($Verb) {
  "demo" {
    Invoke-Checked dotnet build samples/ProcessQueueDemo/ProcessQueueDemo.csproj -c Release -v quiet -nologo
    dotnet run --project samples/ProcessQueueDemo/ProcessQueueDemo.csproj -c Release --no-build -- @Rest; exit $LASTEXITCODE
  }
  "test" {
    Invoke-Checked dotnet build Supervisor.sln -c Release -v quiet -nologo
    Set-LauncherBuilt
    $output = dotnet test Supervisor.sln -c Release --no-build -v quiet -nologo @Rest 2>&1 | Tee-Object -Variable lines
    $status = $LASTEXITCODE
    $p = 0; $f = 0; $s = 0
    foreach ($line in $lines) {
      if ("$line" -match 'Failed:\s+(\d+), Passed:\s+(\d+), Skipped:\s+(\d+)') { $f += [int]$Matches[1]; $p += [int]$Matches[2]; $s += [int]$Matches[3] }
    }
    Write-Output "$p passed, $f failed, $s skipped"
    $left = Get-CimInstance Win32_Process -ErrorAction SilentlyContinue | Where-Object { $_.CommandLine -like "*$PSScriptRoot*Supervisor.WorkerHost*" }
    if ($left) { Write-Error "worker processes left running after the tests: $($left.ProcessId -join ', ')"; exit 1 }
    exit $status
  }
  "bench" {
    if (Test-Path bench/Supervisor.Benchmarks/Supervisor.Benchmarks.csproj) {
      # The build talks on stderr: stdout holds only the benchmark's JSON lines.
      dotnet build bench/Supervisor.Benchmarks/Supervisor.Benchmarks.csproj -c Release -v quiet -nologo | ForEach-Object { [Console]::Error.WriteLine($_) }
      if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
      # As in build.sh: startup also times the NativeAOT worker where it can be published (it needs the C++ build tools).
      $log = New-TemporaryFile
      dotnet publish bench/Supervisor.Benchmarks.AotWorker/Supervisor.Benchmarks.AotWorker.csproj -c Release -o artifacts/aot-worker -v quiet -nologo *> $log
      $aot = @()
      if ($LASTEXITCODE -eq 0) {
        $suffix = if ($env:OS -eq "Windows_NT") { ".exe" } else { "" }
        $aot = @("--aot-worker", (Join-Path (Resolve-Path artifacts/aot-worker) "Supervisor.Benchmarks.AotWorker$suffix"))
        Remove-Item $log
      } else {
        [Console]::Error.WriteLine("bench: the NativeAOT worker could not be published (it needs the ILCompiler package and the C++ build tools; output in $log); startup runs without its aot line")
      }
      dotnet run --project bench/Supervisor.Benchmarks/Supervisor.Benchmarks.csproj -c Release --no-build -- @aot @Rest; exit $LASTEXITCODE
    }
    Write-Error "bench: not there yet (issue: speed near the pipe's limit)"; exit 2
  }
  "chaos" {
    Invoke-Checked dotnet build tests/Supervisor.Chaos/Supervisor.Chaos.csproj -c Release -v quiet -nologo
    dotnet tests/Supervisor.Chaos/bin/Release/net10.0/Supervisor.Chaos.dll @Rest; exit $LASTEXITCODE
  }
  "run" {
    # stdout carries the results only: the build talks on stderr, and only when a source changed since the last one.
    if (Test-LauncherStale) {
      dotnet build src/Supervisor/Supervisor.Launcher/Supervisor.Launcher.csproj -c Release -v quiet -nologo | ForEach-Object { [Console]::Error.WriteLine($_) }
      if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
      Set-LauncherBuilt
    }
    dotnet $LauncherDll @Rest; exit $LASTEXITCODE
  }
  "pack" {
    Invoke-Checked dotnet pack Supervisor.sln -c Release -o artifacts/packages -v quiet -nologo
    Get-ChildItem artifacts/packages
  }
  { $_ -in "", "-h", "--help", "help" } { Show-Usage; if ($Verb -eq "") { exit 2 } }
  default { Write-Error "unknown verb: $Verb" -ErrorAction Continue; Show-Usage; exit 2 }
}
