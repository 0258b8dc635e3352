#!/usr/bin/env python3
"""Cortado's throughput beside Caffeine's, on the same keys, alternately.

    python3 Benchmarks/Peers/throughput.py [--repetitions 3] [--rounds 5] [--duration 1]
        [--warmup 4] [--threads 1,2] [--workloads read,mixed]
        [--cortado .build/release/cortado] [--caffeine-jar /usr/share/java/caffeine-2.6.2.jar]
        [--json PATH] [--ristretto]

`cortado bench --write-keys` writes its Zipf(0.99) key streams once into
Benchmarks/Peers/results/keys/ (git-ignored); CaffeineThroughput.java reads
them and refuses them if a checksum differs. Then each repetition runs
`cortado bench` (Cortado's default, without a lifetime, LRU without a
lifetime, the locked-dictionary LRU and the unsynchronised dictionary; median
of --rounds) and Caffeine (--warmup seconds for its JIT, then median of
--rounds), the two in turn, the order swapped every repetition, so that both
meet the same machine.

Prints one row per workload and thread count: Caffeine's best and worst
repetition, Cortado's default (median of its repetitions), the ratio of the two
counted against Caffeine's *best* repetition (the JIT's spread is large, so
only a margin beyond it is a result), CPU nanoseconds per operation of both
(the worker threads' time only: Caffeine's maintenance on its pool is not in
it),
Cortado's other configurations, and Caffeine with its maintenance on the
calling thread (`executor(Runnable::run)`: the policy work done where Cortado
does it, instead of on the second core); then the target of "Faster than Caffeine"
(at least 1.3x Caffeine's best in every cell), met or not.

With --ristretto, dgraph-io/ristretto (Go; `apt-get install -y golang-go
golang-github-dgraph-io-ristretto-dev`) runs in every repetition too, built once
from ristretto/ristretto_throughput.go, and the table gains its best
repetition, CPU time per operation and hit ratio (its sets are asynchronous
and may be dropped, so it may keep fewer keys than the others).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
# The target: Cortado's default at least this many times Caffeine's best repetition.
TARGET_RATIO = 1.3
CORTADO_IMPLEMENTATIONS = ["cortado", "cortado-no-ttl", "cortado-lru-no-ttl", "dict-lock-lru", "dictionary"]


def run(command):
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"error: {' '.join(command)} failed:\n{result.stderr}")
    return result.stdout


def cortado_round(args):
    out = run([args.cortado, "bench", "--json", "--no-memory",
               "--workloads", args.workloads, "--threads", args.threads,
               "--implementations", ",".join(CORTADO_IMPLEMENTATIONS),
               "--rounds", str(args.rounds), "--duration", str(args.duration)])
    cells = {}
    for m in json.loads(out)["throughput"]:
        cells[(m["implementation"], m["workload"], m["threads"])] = (m["opsPerSecond"], m["cpuNsPerOp"], m["hitRatio"])
    return cells


def caffeine_round(args, keys, maintenance="pool"):
    out = run(["java", "-cp", args.caffeine_jar, os.path.join(HERE, "CaffeineThroughput.java"), keys,
               "--workloads", args.workloads, "--threads", args.threads, "--warmup", str(args.warmup),
               "--duration", str(args.duration), "--rounds", str(args.rounds), "--maintenance", maintenance])
    cells = {}
    for c in json.loads(out)["cells"]:
        cells[(c["workload"], c["threads"])] = (
            statistics.median(c["rounds"]), statistics.median(c["cpuNsPerOp"]), c["hitRatio"])
    return cells


GOPATH = "/usr/share/gocode"  # where Debian's Go library packages install their sources


def build_ristretto():
    """Builds the Go harness once, outside the timed repetitions."""
    binary = os.path.join(HERE, "results", "ristretto_throughput")
    source = os.path.join(HERE, "ristretto", "ristretto_throughput.go")
    environment = dict(os.environ, GO111MODULE="off", GOPATH=GOPATH, GOFLAGS="")
    result = subprocess.run(["go", "build", "-o", binary, source], capture_output=True, text=True, env=environment)
    if result.returncode != 0:
        sys.exit("error: could not build the Ristretto harness (apt-get install -y golang-go "
                 f"golang-github-dgraph-io-ristretto-dev):\n{result.stderr}")
    return binary


def ristretto_round(args, binary, keys):
    out = run([binary, keys, "--workloads", args.workloads, "--threads", args.threads,
               "--warmup", str(args.warmup), "--duration", str(args.duration), "--rounds", str(args.rounds)])
    cells = {}
    for c in json.loads(out)["cells"]:
        cells[(c["workload"], c["threads"])] = (
            statistics.median(c["rounds"]), statistics.median(c["cpuNsPerOp"]), c["hitRatio"])
    return cells


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cortado", default=os.path.join(ROOT, ".build/release/cortado"))
    parser.add_argument("--caffeine-jar", default="/usr/share/java/caffeine-2.6.2.jar")
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--duration", type=float, default=1.0)
    parser.add_argument("--warmup", type=float, default=4.0)
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--workloads", default="read,mixed")
    parser.add_argument("--json", help="also write every repetition's figures here")
    parser.add_argument("--no-caller", action="store_true",
                        help="skip Caffeine with its maintenance on the calling thread")
    parser.add_argument("--ristretto", action="store_true", help="run dgraph-io/ristretto (Go) as well")
    args = parser.parse_args()
    for path, what in ((args.cortado, "swift build -c release --product cortado"),
                       (args.caffeine_jar, "apt-get install -y libcaffeine-java")):
        if not os.path.exists(path):
            sys.exit(f"error: {path} is missing ({what})")

    keys = os.path.join(HERE, "results", "keys")
    os.makedirs(keys, exist_ok=True)
    max_threads = max(int(t) for t in args.threads.split(","))
    run([args.cortado, "bench", "--write-keys", keys, "--threads", str(max_threads)])

    ristretto_binary = build_ristretto() if args.ristretto else None
    cortado, caffeine, caller, ristretto = [], [], [], []
    for repetition in range(args.repetitions):
        order = [("cortado", lambda: cortado.append(cortado_round(args))),
                 ("caffeine", lambda: caffeine.append(caffeine_round(args, keys)))]
        if not args.no_caller:
            order.append(("caffeine, maintenance on the caller",
                          lambda: caller.append(caffeine_round(args, keys, "caller"))))
        if ristretto_binary:
            order.append(("ristretto", lambda: ristretto.append(ristretto_round(args, ristretto_binary, keys))))
        if repetition % 2:
            order.reverse()
        for name, step in order:
            print(f"repetition {repetition + 1}/{args.repetitions}: {name}", file=sys.stderr)
            step()

    rows, met = [], True
    header = ("| workload | threads | Caffeine best | Caffeine worst | Cortado default | ratio to best "
              "| CPU ns/op Caffeine (workers only) | CPU ns/op Cortado | Cortado, no lifetime | Cortado LRU, no lifetime "
              "| Dictionary + lock + LRU | Dictionary, unsynchronised, read only | Caffeine, maintenance on the caller (best) |"
              + (" Ristretto best | CPU ns/op Ristretto (workers only) | Ristretto hit ratio | Cortado hit ratio |"
                 if ristretto else ""))
    rows.append(header)
    rows.append("|" + "---|" * 2 + "---:|" * (header.count("|") - 3))
    summary = []
    for workload in args.workloads.split(","):
        for threads in (int(t) for t in args.threads.split(",")):
            peer = [r[(workload, threads)] for r in caffeine]
            best, worst = max(p[0] for p in peer), min(p[0] for p in peer)

            def ours(implementation, index=0):
                values = [r[(implementation, workload, threads)][index] for r in cortado
                          if (implementation, workload, threads) in r]
                return statistics.median(values) if values else None

            default = ours("cortado")
            ratio = default / best
            met = met and ratio >= TARGET_RATIO
            summary.append({"workload": workload, "threads": threads,
                            "caffeine": [p[0] for p in peer], "caffeineCpuNsPerOp": [p[1] for p in peer],
                            "caffeineHitRatio": peer[0][2],
                            "caffeineOnCaller": [r[(workload, threads)][0] for r in caller],
                            "cortado": {i: [r[(i, workload, threads)][0] for r in cortado if (i, workload, threads) in r]
                                        for i in CORTADO_IMPLEMENTATIONS},
                            "cortadoCpuNsPerOp": ours("cortado", 1), "cortadoHitRatio": ours("cortado", 2),
                            "ratioToBest": ratio,
                            "ristretto": [r[(workload, threads)][0] for r in ristretto],
                            "ristrettoCpuNsPerOp": [r[(workload, threads)][1] for r in ristretto],
                            "ristrettoHitRatio": [r[(workload, threads)][2] for r in ristretto]})

            def mops(value):
                return "–" if value is None else f"{value / 1e6:.2f}"

            rows.append(
                f"| {workload} | {threads} | {mops(best)} | {mops(worst)} | {mops(default)} | {ratio:.2f} "
                f"| {statistics.median(p[1] for p in peer):.1f} | {ours('cortado', 1):.1f} "
                f"| {mops(ours('cortado-no-ttl'))} | {mops(ours('cortado-lru-no-ttl'))} "
                f"| {mops(ours('dict-lock-lru'))} | {mops(ours('dictionary'))} "
                f"| {mops(max(r[(workload, threads)][0] for r in caller)) if caller else '–'} |"
                + (f" {mops(max(r[(workload, threads)][0] for r in ristretto))} "
                   f"| {statistics.median(r[(workload, threads)][1] for r in ristretto):.1f} "
                   f"| {100 * statistics.median(r[(workload, threads)][2] for r in ristretto):.2f}% "
                   f"| {100 * ours('cortado', 2):.2f}% |" if ristretto else ""))
    print("\n".join(rows))
    print(f"\nMillion operations per second; {args.repetitions} alternating repetitions, each the median of "
          f"{args.rounds} rounds of {args.duration:g} s (Caffeine after {args.warmup:g} s of warm-up).")
    print(f"Target: Cortado's default at least {TARGET_RATIO}x Caffeine's best repetition in every cell: "
          + ("met" if met else "NOT met") + ".")
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"repetitions": args.repetitions, "rounds": args.rounds, "duration": args.duration,
                       "warmup": args.warmup, "cells": summary}, out, indent=1)


if __name__ == "__main__":
    main()
