#!/usr/bin/env python3
"""Hit ratios of Cortado's policies beside Caffeine, LRU, the best libCacheSim
policy and the offline optimum, on one trace set.

    python3 Benchmarks/Peers/compare.py [--traces Benchmarks/Peers/traces.txt] [--only NAME,...]
        [--cortado .build/release/cortado] [--caffeine-jar /usr/share/java/caffeine-2.6.2.jar]
        [--no-libcachesim] [--rerun-peers] [--json PATH]

Each trace of the set is generated once by `cortado simulate --synthetic SPEC
--write-trace FILE` into Benchmarks/Peers/results/ (git-ignored), and every
replayer reads that same file: Cortado (`cortado simulate --trace FILE`),
Caffeine (CaffeineReplay.java, median of three runs: its admission is
randomised) and libCacheSim (libcachesim_replay.py, every candidate policy; the
best one per cell is named). Peer results are kept beside the trace and reused
until the trace set changes or --rerun-peers is given, so re-measuring Cortado
after a change takes only Cortado's time.

Prints one Markdown table per trace and a summary of the three targets:
the default (w-tinylfu) at or above Caffeine, at most 0.1 point below LRU, and
within 1 point of the best libCacheSim policy.
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
# The targets, in percentage points.
LRU_TOLERANCE = 0.1
BEST_TOLERANCE = 1.0


def read_set(path):
    """`name | spec | capacities` per line; `#` starts a comment."""
    traces = []
    for line in open(path):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        name, spec, capacities = (part.strip() for part in line.split("|"))
        traces.append((name, spec, [int(c) for c in capacities.split(",")]))
    return traces


def run_json(command):
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"error: {' '.join(command)} failed:\n{result.stderr}")
    return json.loads(result.stdout)


def cached(path, key, compute, rerun):
    """Returns compute()'s result, kept in `path` under `key`."""
    if not rerun and os.path.exists(path):
        kept = json.load(open(path))
        if kept.get("key") == key:
            return kept["rows"]
    rows = compute()
    json.dump({"key": key, "rows": rows}, open(path, "w"))
    return rows


def measure(name, spec, capacities, arguments):
    results = os.path.join(HERE, "results")
    os.makedirs(results, exist_ok=True)
    trace = os.path.join(results, f"{name}.txt")
    key = hashlib.sha256(f"{spec}|{capacities}".encode()).hexdigest()[:16]
    stamp = os.path.join(results, f"{name}.spec")
    if not os.path.exists(trace) or not os.path.exists(stamp) or open(stamp).read() != spec:
        subprocess.run([arguments.cortado, "simulate", "--synthetic", spec, "--write-trace", trace],
                       check=True, capture_output=True)
        open(stamp, "w").write(spec)
    caps = ",".join(map(str, capacities))
    command = [arguments.cortado, "simulate", "--trace", trace, "--capacity", caps, "--json"]
    if arguments.policies:
        command += ["--policy", arguments.policies]
    rows = run_json(command)
    cortado = {(r["policy"], r["capacity"]): 100 * r["hitRatio"] for r in rows}
    caffeine = {}
    if arguments.caffeine_jar:
        source = os.path.join(HERE, "CaffeineReplay.java")
        rows = cached(os.path.join(results, f"{name}.caffeine.json"), key,
                      lambda: run_json(["java", "-cp", arguments.caffeine_jar, source, trace, caps]),
                      arguments.rerun_peers)
        caffeine = {r["capacity"]: 100 * r["hitRatio"] for r in rows}
    best = {}
    if not arguments.no_libcachesim:
        script = os.path.join(HERE, "libcachesim_replay.py")
        rows = cached(os.path.join(results, f"{name}.libcachesim.json"), key,
                      lambda: run_json([sys.executable, script, trace, caps]), arguments.rerun_peers)
        for row in rows:
            if row["hitRatio"] is None:
                continue
            ratio = 100 * row["hitRatio"]
            if row["capacity"] not in best or ratio > best[row["capacity"]][1]:
                best[row["capacity"]] = (row["policy"], ratio)
    return cortado, caffeine, best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--traces", default=os.path.join(HERE, "traces.txt"))
    parser.add_argument("--only", help="comma-separated trace names")
    parser.add_argument("--cortado", default=os.path.join(ROOT, ".build", "release", "cortado"))
    parser.add_argument("--caffeine-jar", default="/usr/share/java/caffeine-2.6.2.jar",
                        help="empty to leave Caffeine out")
    parser.add_argument("--no-libcachesim", action="store_true")
    parser.add_argument("--rerun-peers", action="store_true")
    parser.add_argument("--json", help="also write every figure to this file")
    parser.add_argument("--policies", help="Cortado's policies to run (default: all; w-tinylfu and lru are needed)")
    parser.add_argument("--jobs", type=int, default=1, help="traces measured at once (default 1)")
    arguments = parser.parse_args()
    if arguments.caffeine_jar and not os.path.exists(arguments.caffeine_jar):
        sys.exit(f"error: no Caffeine jar at {arguments.caffeine_jar} "
                 "(apt-get install -y libcaffeine-java, or --caffeine-jar '')")
    selected = set(arguments.only.split(",")) if arguments.only else None
    cells, misses, figures = 0, {"caffeine": [], "lru": [], "best": []}, []
    traces = [t for t in read_set(arguments.traces) if not selected or t[0] in selected]
    with ThreadPoolExecutor(max_workers=arguments.jobs) as pool:
        measured = list(pool.map(lambda t: measure(*t, arguments), traces))
    for (name, spec, capacities), (cortado, caffeine, best) in zip(traces, measured):
        print(f"\n**{name}** — `{spec}`\n")
        print("| capacity | default | LRU | Caffeine | best libCacheSim | optimal | vs Caffeine | vs LRU | vs best |")
        print("|---:|---:|---:|---:|---|---:|---:|---:|---:|")
        for capacity in capacities:
            default = cortado[("w-tinylfu", capacity)]
            lru = cortado[("lru", capacity)]
            optimal = cortado.get(("optimal", capacity))
            peer = caffeine.get(capacity)
            top = best.get(capacity)
            cells += 1
            cell = f"{name}@{capacity}"
            if peer is not None and default < peer:
                misses["caffeine"].append(cell)
            if default < lru - LRU_TOLERANCE:
                misses["lru"].append(cell)
            if top and default < top[1] - BEST_TOLERANCE:
                misses["best"].append(cell)
            figures.append({"trace": name, "spec": spec, "capacity": capacity, "default": default, "lru": lru,
                            "caffeine": peer, "best": top, "optimal": optimal,
                            "cortado": {p: r for (p, c), r in cortado.items() if c == capacity}})

            def delta(other):
                return "" if other is None else f"{default - other:+.2f}"

            print(f"| {capacity:,} | {default:.2f} | {lru:.2f} | "
                  f"{'' if peer is None else f'{peer:.2f}'} | "
                  f"{'' if top is None else f'{top[1]:.2f} ({top[0]})'} | "
                  f"{'' if optimal is None else f'{optimal:.2f}'} | "
                  f"{delta(peer)} | {delta(lru)} | {delta(top[1] if top else None)} |")
    print(f"\nTargets over {cells} cells:")
    print(f"- at or above Caffeine (median of 3): {cells - len(misses['caffeine'])}/{cells}"
          + (f" — below in {', '.join(misses['caffeine'])}" if misses["caffeine"] else ""))
    print(f"- at most {LRU_TOLERANCE} point below LRU: {cells - len(misses['lru'])}/{cells}"
          + (f" — below in {', '.join(misses['lru'])}" if misses["lru"] else ""))
    print(f"- within {BEST_TOLERANCE} point of the best libCacheSim policy: {cells - len(misses['best'])}/{cells}"
          + (f" — behind in {', '.join(misses['best'])}" if misses["best"] else ""))
    if arguments.json:
        json.dump(figures, open(arguments.json, "w"), indent=1)
    return 0 if not any(misses.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
