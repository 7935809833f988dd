"""What CPython's Pool and ProcessPoolExecutor do when a worker or the parent is killed (docs/reliability.md).

Run: python3 bench/python_faults.py   Every wait has a timeout guard, so the script ends even where Python hangs.
Prints one line per scenario. Linux or macOS (SIGKILL).
"""
import concurrent.futures as cf
import multiprocessing as mp
import os
import signal
import subprocess
import sys
import time

GUARD = 5  # seconds: the guard that ends a wait Python would make forever


def pid_and_sleep(seconds):
    time.sleep(seconds)
    return os.getpid()


def pool_worker_killed():
    with mp.Pool(2) as pool:
        result = pool.map_async(pid_and_sleep, [1, 1, 1, 1], chunksize=1)
        time.sleep(0.5)
        os.kill(pool._pool[0].pid, signal.SIGKILL)
        try:
            result.get(timeout=GUARD)
            return "map returned"
        except mp.TimeoutError:
            return f"map still waiting after {GUARD} s (it would wait forever: gh-66587)"


def executor_worker_killed():
    with cf.ProcessPoolExecutor(2) as pool:
        futures = [pool.submit(pid_and_sleep, 1) for _ in range(4)]
        time.sleep(0.5)
        os.kill(next(iter(pool._processes)), signal.SIGKILL)
        first = type(futures[0].exception(timeout=GUARD)).__name__
        try:
            pool.submit(pid_and_sleep, 0).result(timeout=GUARD)
            later = "a later submit worked"
        except cf.process.BrokenProcessPool as e:
            later = f"a later submit raised {type(e).__name__}: the executor is broken for good"
        return f"pending futures raised {first}; {later}"


def parent_killed(kind):
    # A parent with 2 busy workers prints their pids and is SIGKILLed; are the workers still there afterwards?
    code = f"""
import concurrent.futures as cf, multiprocessing as mp, os, sys, time
sys.path.insert(0, {os.path.dirname(os.path.abspath(__file__))!r})
from python_faults import pid_and_sleep
if __name__ == '__main__':
    if {kind!r} == 'Pool':
        pool = mp.Pool(2); pool.map_async(pid_and_sleep, [600, 600], chunksize=1); pids = [p.pid for p in pool._pool]
    else:
        pool = cf.ProcessPoolExecutor(2); [pool.submit(pid_and_sleep, 600) for _ in range(2)]; time.sleep(0.5); pids = list(pool._processes)
    print(*pids, flush=True); time.sleep(600)
"""
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    pids = [int(p) for p in parent.stdout.readline().split()]
    time.sleep(0.5)
    parent.kill()
    parent.wait()
    time.sleep(2)
    alive = [p for p in pids if os.path.exists(f"/proc/{p}") and open(f"/proc/{p}/stat").read().split()[2] != "Z"] \
        if os.path.exists("/proc") else [p for p in pids if not os.kill(p, 0)]
    for p in alive:
        os.kill(p, signal.SIGKILL)
    return f"{len(alive)} of {len(pids)} workers still running 2 s after the parent's SIGKILL (killed by this script now)"


if __name__ == "__main__":
    print(f"Python {sys.version.split()[0]}, start method {mp.get_start_method()}")
    print("Pool, worker SIGKILLed:               ", pool_worker_killed())
    print("ProcessPoolExecutor, worker SIGKILLed:", executor_worker_killed())
    print("Pool, parent SIGKILLed:               ", parent_killed("Pool"))
    print("ProcessPoolExecutor, parent SIGKILLed:", parent_killed("Executor"))
