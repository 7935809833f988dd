#!/usr/bin/env bash
# One entry point for every task a user or CI runs. Needs only the .NET SDK (see global.json).
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

usage() {
  cat <<'TXT'
usage: ./build.sh <verb> [args]

  demo            run the ProcessQueue demo (cal_pow, 100 items, 4 workers, maxsize 20)
  test            build and run every test; fails if a worker process is left running
  bench           run the benchmark (one JSON object per line; compare with ../shared/bench/python_mp.py);
                  where a NativeAOT worker can be published (clang or gcc), startup also times it
  bench --distributed
                  calls/s through 1 and 2 nodes on loopback (needs redis-server), tiny and in chunks of 25,000, and
                  the round trip of one call, each against the local pool; W workers per node (default 2), as
                  W=2 python3 ../shared/bench/celery_redis.py runs Celery's
  bench --vs-python [--pairs n] [--python exe] [--peer path]
                  ours and Python's peer alternately in fresh processes (3 pairs by default): both figures and
                  the ratio per line, medians per scenario, and the load average before and after
  chaos [--kills | --distributed] [tasks]
                  the fault run: tasks while workers are killed, poisoned and hung; one JSON line of figures.
                  --kills: only kills, every 150 ms on two workers, the pool's default options (20,000 tasks)
                  --distributed: three node processes on a real redis-server (needs redis-server), one SIGKILLed
                  half way (20,000 calls): lost, duplicated, wrong, and the seconds from the kill to the last result
  run <args>      build if needed, then run the launcher, e.g.
                  ./build.sh run --assembly my.dll --function Ns.Type.Method --input in.jsonl --output out.jsonl
  pack            NuGet packages of the libraries and the launcher as a dotnet tool, into artifacts/packages
TXT
}

leftover_workers() {
  # Worker hosts started by this checkout that are still running.
  pgrep -f "$(pwd)/.*(Supervisor.WorkerHost|DistributedNodeHost)" || true
}

publish_aot_worker() {
  # Publishes the benchmark's NativeAOT worker and prints its path. It needs the ILCompiler package and a C
  # toolchain (clang, or gcc as the fallback); without them the benchmark runs without the worker's line.
  local log
  log=$(mktemp)
  if dotnet publish bench/Supervisor.Benchmarks.AotWorker/Supervisor.Benchmarks.AotWorker.csproj -c Release \
       -o artifacts/aot-worker -v quiet -nologo >"$log" 2>&1; then
    rm -f "$log"
    echo "$(pwd)/artifacts/aot-worker/Supervisor.Benchmarks.AotWorker"
  else
    echo "bench: the NativeAOT worker could not be published (it needs the ILCompiler package and clang or gcc; output in $log); startup runs without its aot line" >&2
    return 1
  fi
}

# The launcher's build stamp: touched after each build that covers it, so `run` can tell whether a source changed since.
launcher_stamp=artifacts/launcher.built

launcher_built() {
  mkdir -p artifacts && touch "$launcher_stamp"
}

launcher_stale() {
  [ ! -f "$launcher_stamp" ] || [ ! -f src/Supervisor/Supervisor.Launcher/bin/Release/net10.0/Supervisor.Launcher.dll ] ||
    [ -n "$(find src Directory.Build.props Directory.Packages.props global.json -newer "$launcher_stamp" -type f \
            \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.targets' -o -name '*.json' \) \
            -not -path '*/bin/*' -not -path '*/obj/*' -print -quit)" ]
}

verb="${1:-}"
[ $# -gt 0 ] && shift
case "$verb" in
  demo)
    dotnet build samples/ProcessQueueDemo/ProcessQueueDemo.csproj -c Release -v quiet -nologo
    dotnet run --project samples/ProcessQueueDemo/ProcessQueueDemo.csproj -c Release --no-build -- "$@"
    ;;
  test)
    dotnet build Supervisor.sln -c Release -v quiet -nologo
    launcher_built
    log=$(mktemp)
    set +e
    # The console logger at minimal verbosity prints a failed test's message and stack, and nothing for a passed one.
    dotnet test Supervisor.sln -c Release --no-build -v quiet -nologo --logger "console;verbosity=minimal" "$@" 2>&1 | tee "$log"
    status=${PIPESTATUS[0]}
    set -e
    # CI shows only the end of the output: repeat each failed test's name and message there, its stack cut short.
    awk '/^  Failed / { n = 12; print "" } n > 0 { if ($0 ~ /^  Stack Trace:/) n = 4; print; n-- }' "$log"
    # One closing line in the plain form any CI reads: "N passed, N failed, N skipped".
    awk '/^(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { g = $(i+1); gsub(",", "", g);
           if ($i == "Failed:") f += g; if ($i == "Passed:") p += g; if ($i == "Skipped:") s += g } }
         END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
    rm -f "$log"
    left=$(leftover_workers)
    if [ -n "$left" ]; then
      echo "worker processes left running after the tests: $left" >&2
      exit 1
    fi
    exit "$status"
    ;;
  bench)
    if [ "${1:-}" = "--distributed" ]; then
      # The build talks on stderr: stdout holds only the JSON lines.
      dotnet build bench/Supervisor.Benchmarks.Distributed/Supervisor.Benchmarks.Distributed.csproj -c Release -v quiet -nologo >&2
      exec dotnet bench/Supervisor.Benchmarks.Distributed/bin/Release/net10.0/Supervisor.Benchmarks.Distributed.dll
    fi
    if [ -f bench/Supervisor.Benchmarks/Supervisor.Benchmarks.csproj ]; then
      # The build talks on stderr: stdout holds only the benchmark's JSON lines.
      dotnet build bench/Supervisor.Benchmarks/Supervisor.Benchmarks.csproj -c Release -v quiet -nologo >&2
      aot=()
      if path=$(publish_aot_worker); then aot=(--aot-worker "$path"); fi
      dotnet run --project bench/Supervisor.Benchmarks/Supervisor.Benchmarks.csproj -c Release --no-build -- "${aot[@]}" "$@"
    else
      echo "bench: not there yet (issue: speed near the pipe's limit)" >&2
      exit 2
    fi
    ;;
  chaos)
    dotnet build tests/Supervisor.Chaos/Supervisor.Chaos.csproj -c Release -v quiet -nologo
    dotnet tests/Supervisor.Chaos/bin/Release/net10.0/Supervisor.Chaos.dll "$@"
    ;;
  run)
    # stdout carries the results only: the build talks on stderr, and only when a source changed since the last one.
    if launcher_stale; then
      dotnet build src/Supervisor/Supervisor.Launcher/Supervisor.Launcher.csproj -c Release -v quiet -nologo -clp:NoSummary >&2
      launcher_built
    fi
    exec dotnet src/Supervisor/Supervisor.Launcher/bin/Release/net10.0/Supervisor.Launcher.dll "$@"
    ;;
  pack)
    dotnet pack Supervisor.sln -c Release -o artifacts/packages -v quiet -nologo
    ls artifacts/packages
    ;;
  ""|-h|--help|help)
    usage
    [ -n "$verb" ] || exit 2
    ;;
  *)
    echo "unknown verb: $verb" >&2
    usage >&2
    exit 2
    ;;
esac
