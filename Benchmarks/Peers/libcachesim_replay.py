#!/usr/bin/env python3
"""Replays a text trace (one key per line) through libCacheSim's policies.

    python3 libcachesim_replay.py TRACE CAPACITY[,CAPACITY...] [--policies A,B] [--timeout S] [--jobs N]

Prints a JSON array of {policy, capacity, requests, hitRatio} (hitRatio null
with an "error" when a policy crashed or ran past the timeout). Needs
`pip install libcachesim==0.3.5`.

Every online policy that libcachesim 0.3.5 exports as a Python class is a
candidate, learned ones included, except LRB (over a minute per million
requests), the offline Belady and BeladySize, and Size (size-based, and every
object here has size 1). Some policies abort the interpreter on some
capacities and LFUDA does not finish some (see ../../docs/benchmarks.md), so
each policy runs in a process of its own: a capacity that kills it or runs
past the timeout is reported as failed, and the others go on in a new one.
"""
import argparse
import json
import os
import select
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

EXCLUDED = {"LRB", "Belady", "BeladySize", "Size"}
# Every eviction policy class of libcachesim 0.3.5 (read from its __init__).
ALL_POLICIES = [
    "ARC", "Cacheus", "Clock", "Clock2QPlus", "ClockPro", "FIFO", "FlashProb", "GDSF", "GLCache",
    "Hyperbolic", "LFU", "LFUDA", "LHD", "LIRS", "LRU", "LRUK", "LRUProb", "LeCaR", "MQ",
    "Random", "S3FIFO", "SLRU", "Sieve", "ThreeLCache", "TwoQ", "WTinyLFU",
]
CANDIDATES = [name for name in ALL_POLICIES if name not in EXCLUDED]


def run_cells(policy, capacities, trace):
    """In a child: replays the trace for each capacity, printing one JSON line each."""
    import libcachesim as lcs

    for capacity in capacities:
        reader = lcs.TraceReader(trace, lcs.TraceType.PLAIN_TXT_TRACE)
        cache = getattr(lcs, policy)(cache_size=capacity)
        miss_ratio, _ = cache.process_trace(reader)
        print(json.dumps({"policy": policy, "capacity": capacity, "hitRatio": 1 - miss_ratio}), flush=True)


def child(policy, capacities, trace, timeout):
    """Runs one policy over `capacities` in a child process, allowing each
    capacity `timeout` seconds; returns the rows it printed and why it
    stopped early (None when it finished)."""
    process = subprocess.Popen(
        [sys.executable, __file__, "--cell", policy, trace, ",".join(map(str, capacities))],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    rows, failure = [], None
    while len(rows) < len(capacities):
        ready, _, _ = select.select([process.stdout], [], [], timeout)
        if not ready:
            failure = f"no result within {timeout:g} s"
            process.kill()
            break
        line = process.stdout.readline()
        if not line:
            break
        rows.append(json.loads(line))
    status = process.wait()
    if failure is None and len(rows) < len(capacities):
        failure = f"the process ended with status {status}"
    return rows, failure


def replay(policy, capacities, trace, timeout):
    """Every capacity in order; the one a child was working on when it
    crashed or ran out of time is reported as failed, and the rest go on in a
    new child."""
    results = {}
    remaining = list(capacities)
    while remaining:
        rows, failure = child(policy, remaining, trace, timeout)
        for row in rows:
            results[row["capacity"]] = row
        remaining = [c for c in remaining if c not in results]
        if remaining:
            failed = remaining.pop(0)
            results[failed] = {"policy": policy, "capacity": failed, "hitRatio": None,
                               "error": failure or "no output"}
    return [results[c] for c in capacities]


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--cell":
        run_cells(sys.argv[2], [int(c) for c in sys.argv[4].split(",")], sys.argv[3])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trace")
    parser.add_argument("capacities")
    parser.add_argument("--policies", default=",".join(CANDIDATES))
    parser.add_argument("--timeout", type=float, default=30, help="seconds per capacity (default 30)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    arguments = parser.parse_args()
    capacities = [int(c) for c in arguments.capacities.split(",")]
    requests = sum(1 for line in open(arguments.trace) if line.strip())
    policies = arguments.policies.split(",")
    with ThreadPoolExecutor(max_workers=arguments.jobs) as pool:
        rows = pool.map(lambda p: replay(p, capacities, arguments.trace, arguments.timeout), policies)
    output = []
    for policy_rows in rows:
        for row in policy_rows:
            row["requests"] = requests
            output.append(row)
    print(json.dumps(output))


if __name__ == "__main__":
    main()
