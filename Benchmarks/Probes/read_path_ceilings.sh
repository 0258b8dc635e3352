#!/bin/bash
# The read path's ceilings: how fast Cortado's default could be if parts of a
# read's work cost nothing, or ran on another thread, measured beside
# Caffeine on the same keys. Each variant is Cortado with one or more of the
# compile flags of read_path_ceilings.patch (never shipped: several are
# unsafe or drop policy work). Results and their use: docs/design.md,
# "Performance against the targets".
#
#   bash Benchmarks/Probes/read_path_ceilings.sh [VARIANT ...]
#
# Variants (default: all, in this order):
#   base         the code as it is
#   optimistic   no reader-slot atomics: the floor of a sequence-lock read
#                (two plain loads around the lookup); unsafe beside writers
#   no-drain     a reader never applies its full event buffer: the events
#                are dropped (the reader's cost if policy work were free)
#   both         optimistic + no-drain
#   all          both, and writers drop the recorded reads instead of
#                applying them: no read maintenance anywhere
#   background   a spinning process-wide thread applies the readers' events
#                (as Caffeine's maintenance task does); writers still apply
#                them before changing the stripe
#   background-writers-leave
#                background, and writers leave the events to that thread
#
# Needs Java and Caffeine (Benchmarks/Peers/README.md). Each variant is built
# in a detached worktree (default /tmp/cortado-probes; PROBE_WORKTREE to
# change it) with its own scratch folder, then measured by
# Benchmarks/Peers/throughput.py (3 repetitions, Caffeine with its default
# pool executor only). About 7 minutes per variant after the builds.
set -euo pipefail
root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
work=${PROBE_WORKTREE:-/tmp/cortado-probes}
variants=("$@")
if [ ${#variants[@]} -eq 0 ]; then
  variants=(base optimistic no-drain both all background background-writers-leave)
fi

flags_of() {
  case "$1" in
    base) echo "" ;;
    optimistic) echo "CORTADO_PROBE_OPTIMISTIC" ;;
    no-drain) echo "CORTADO_PROBE_NO_DRAIN" ;;
    both) echo "CORTADO_PROBE_OPTIMISTIC CORTADO_PROBE_NO_DRAIN" ;;
    all) echo "CORTADO_PROBE_OPTIMISTIC CORTADO_PROBE_NO_DRAIN CORTADO_PROBE_WRITER_SKIPS_READS" ;;
    background) echo "CORTADO_PROBE_BACKGROUND" ;;
    background-writers-leave) echo "CORTADO_PROBE_BACKGROUND CORTADO_PROBE_WRITER_LEAVES_READS" ;;
    *) echo "unknown variant: $1" >&2; exit 2 ;;
  esac
}

if [ ! -d "$work" ]; then
  git -C "$root" worktree add --detach "$work" HEAD
  git -C "$work" apply "$root/Benchmarks/Probes/read_path_ceilings.patch"
fi

for variant in "${variants[@]}"; do
  args=()
  for flag in $(flags_of "$variant"); do args+=(-Xswiftc "-D$flag"); done
  (cd "$work" && swift build -c release --product cortado --scratch-path "$work/.build-$variant" "${args[@]}")
done

for variant in "${variants[@]}"; do
  echo "== $variant ($(date -u +%H:%M) UTC)"
  python3 "$root/Benchmarks/Peers/throughput.py" --cortado "$work/.build-$variant/release/cortado" \
    --no-caller --repetitions 3 --json "/tmp/read_path_ceilings-$variant.json" | tail -9
done
